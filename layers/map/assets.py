"""Leaflet served from the installed XStatic package, never from a CDN.

The map's JavaScript and CSS are copied from ``XStatic-Leaflet`` (a PyPI
package pinned in requirements.txt) into the app's ``static/vendor/`` folder,
which Streamlit serves at ``/app/static/`` when ``server.enableStaticServing``
is on. Nothing third-party is committed. The standalone HTML export inlines
the same files instead.
"""

from __future__ import annotations

import base64
import filecmp
import hashlib
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xstatic.pkg.leaflet as xs_leaflet

from geo.safe import script_json

#: The URL prefix Streamlit serves ``./static/`` under (absolute, because the
#: map runs in an iframe of streamlit-folium's component).
STATIC_URL = "/app/static"
VENDOR = "vendor/leaflet"
#: The map's own script (project code, kept in layers/map/js) and the folder
#: of generated context-layer files, both under ``static/``.
ENGINE_DIR = "strikemap"
ENGINE_SOURCE = Path(__file__).resolve().parent / "js" / "strikemap.js"
#: The measuring tool, loaded after the engine (it hooks ``StrikeMap.init``).
MEASURE_SOURCE = ENGINE_SOURCE.with_name("measure.js")
CONTEXT_DIR = "strikemap/data"
#: Files the map uses, relative to the XStatic data folder.
LEAFLET_FILES = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)


@dataclass(frozen=True)
class AssetUrls:
    """Where the browser loads Leaflet from."""

    js: str = f"{STATIC_URL}/{VENDOR}/leaflet.js"
    css: str = f"{STATIC_URL}/{VENDOR}/leaflet.css"
    images: str = f"{STATIC_URL}/{VENDOR}/images/"
    engine: str = f"{STATIC_URL}/{ENGINE_DIR}/strikemap.js"
    measure: str = f"{STATIC_URL}/{ENGINE_DIR}/measure.js"


#: The default: files served by Streamlit from ``static/``.
LOCAL_ASSETS = AssetUrls()


def leaflet_source_dir() -> Path:
    """The folder of the installed XStatic-Leaflet files."""
    return Path(xs_leaflet.BASE_DIR)


def leaflet_version() -> str:
    """The Leaflet version the installed package carries."""
    return str(xs_leaflet.VERSION)


def install_static_assets(static_dir: Path) -> list[Path]:
    """Copy the Leaflet files the map needs into ``static_dir/vendor/leaflet``.

    Files already in place (same size and modification time) are left alone,
    so calling this on every rerun costs a few ``stat`` calls.

    Parameters
    ----------
    static_dir
        The app's static folder (``static/`` beside ``dashboard.py``).

    Returns
    -------
    The files copied now (empty when all were in place).
    """
    source = leaflet_source_dir()
    target = static_dir / VENDOR
    copied = []
    for name in LEAFLET_FILES:
        src, dst = source / name, target / name
        # copy2 keeps the modification time, so a cheap stat comparison
        # (size, mtime) tells on every later start that the copy is current.
        if dst.is_file() and filecmp.cmp(src, dst, shallow=True):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        copied.append(dst)
    for script in (ENGINE_SOURCE, MEASURE_SOURCE):
        engine = static_dir / ENGINE_DIR / script.name
        if not (engine.is_file() and filecmp.cmp(script, engine, shallow=False)):
            engine.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(script, engine)
            copied.append(engine)
    return copied


def install_context(
    static_dir: Path, context: Mapping[str, Mapping[str, dict[str, Any]]]
) -> dict[str, dict[str, str]]:
    """Write the context layers as JSON files the browser fetches once and caches.

    File names carry a hash of the content, so a changed layer gets a new URL
    and an unchanged one is never written or downloaded twice.

    Parameters
    ----------
    static_dir
        The app's static folder.
    context
        ``layers.map.data.prepare_context`` output: name -> level -> GeoJSON.

    Returns
    -------
    name -> level -> URL.
    """
    urls: dict[str, dict[str, str]] = {}
    for name, levels in context.items():
        for level, collection in levels.items():
            urls.setdefault(name, {})[level] = _write_hashed(
                static_dir, f"{name}-{level}", collection
            )
    return urls


def install_data(
    static_dir: Path, data: Mapping[str, dict[str, Any]]
) -> dict[str, str]:
    """Write each layer's full data as a file the browser fetches once.

    Named like the context files (content hash), so a width or catalogue seen
    before reuses its file, across sessions and restarts.

    Parameters
    ----------
    static_dir
        The app's static folder.
    data
        ``layers.map.refs.shared_data`` output: name -> data.

    Returns
    -------
    name -> URL.
    """
    return {
        name: _write_hashed(static_dir, name, value) for name, value in data.items()
    }


def _write_hashed(static_dir: Path, stem: str, value: object) -> str:
    text = script_json(value)  # data text stays inert wherever the file lands
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    file_name = f"{stem}-{digest}.json"
    target = static_dir / CONTEXT_DIR
    path = target / file_name
    if not path.is_file():
        target.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{file_name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return f"{STATIC_URL}/{CONTEXT_DIR}/{file_name}"


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def inline_leaflet(html: str, urls: AssetUrls = LOCAL_ASSETS) -> str:
    """Replace the local Leaflet links of a map page with the files themselves.

    Images referenced from the CSS become data URIs, so the page works from a
    file on a machine with no network and no server.

    Parameters
    ----------
    html
        A full page rendered by folium with *urls* as its asset links.
    urls
        The links to replace.

    Returns
    -------
    The self-contained page.
    """
    source = leaflet_source_dir()
    css = (source / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(
        r"url\((images/[\w.-]+\.png)\)",
        lambda m: f"url({_data_uri(source / m.group(1))})",
        css,
    )
    js = (source / "leaflet.js").read_text(encoding="utf-8")
    page = re.sub(
        rf'<script src="{re.escape(urls.js)}"></script>',
        lambda _: f"<script>{js}</script>",
        html,
    )
    for url, script in ((urls.engine, ENGINE_SOURCE), (urls.measure, MEASURE_SOURCE)):
        text = script.read_text(encoding="utf-8")
        page = re.sub(
            rf'<script src="{re.escape(url)}"></script>',
            lambda _, text=text: f"<script>{text}</script>",  # type: ignore[misc]
            page,
        )
    page = re.sub(
        rf'<link rel="stylesheet" href="{re.escape(urls.css)}"/>',
        lambda _: f"<style>{css}</style>",
        page,
    )
    marker = _data_uri(source / "images" / "marker-icon.png")
    return page.replace(
        f'L.Icon.Default.imagePath = "{urls.images}";',
        f'L.Icon.Default.prototype.options.iconUrl = "{marker}";',
    )

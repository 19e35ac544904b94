"""Leaflet comes from the installed package, is served locally, and inlines offline."""

from __future__ import annotations

import folium

from layers.map.assets import (
    LEAFLET_FILES,
    LOCAL_ASSETS,
    inline_leaflet,
    install_context,
    install_static_assets,
    leaflet_version,
)


def test_installed_leaflet_is_the_one_folium_expects():
    expected = dict(folium.Map.default_js)["leaflet"]
    assert f"leaflet@{leaflet_version()}/" in expected


def test_install_copies_once(tmp_path):
    copied = install_static_assets(tmp_path)
    assert len(copied) == len(LEAFLET_FILES) + 2  # and the map's engine and tool
    assert (tmp_path / "strikemap/strikemap.js").is_file()
    assert (tmp_path / "strikemap/measure.js").is_file()
    assert (tmp_path / "vendor/leaflet/leaflet.js").read_text().startswith("/*")
    assert install_static_assets(tmp_path) == []


def test_inlined_page_has_no_link_left():
    page = (
        f'<link rel="stylesheet" href="{LOCAL_ASSETS.css}"/>'
        f'<script src="{LOCAL_ASSETS.js}"></script>'
        f'<script src="{LOCAL_ASSETS.engine}"></script>'
        f'<script src="{LOCAL_ASSETS.measure}"></script>'
        f'<script>L.Icon.Default.imagePath = "{LOCAL_ASSETS.images}";</script>'
    )
    inlined = inline_leaflet(page)
    assert "/app/static" not in inlined
    assert "L.map = " in inlined or "window.L" in inlined
    assert "url(data:image/png;base64," in inlined  # layer-control icon
    assert "SM.inverse = function" in inlined  # the measuring tool, inlined


def test_context_files_are_written_once_under_a_content_name(tmp_path):
    context = {"countries": {"fine": {"type": "FeatureCollection", "features": []}}}
    urls = install_context(tmp_path, context)
    url = urls["countries"]["fine"]
    assert url.startswith("/app/static/strikemap/data/countries-fine-")
    path = tmp_path / url.removeprefix("/app/static/")
    before = path.stat().st_mtime_ns
    assert install_context(tmp_path, context) == urls
    assert path.stat().st_mtime_ns == before

"""What an export says about itself: a Frictionless Data Package and a BagIt manifest.

Every export (the export command's folder, the zip download, the standalone
HTML page) carries the same *facts*: the catalogue's content hash and row
counts, the tool's name and version, the settings (widths, filters, layers,
format) and the export time in UTC. A package adds the SHA-256 and size of
every file, written twice: as Frictionless ``datapackage.json`` resources
(``"hash": "sha256:<hex>"``, ``bytes``, ``format``, ``mediatype``) and as a
BagIt-style ``manifest-sha256.txt`` (``<hex>  <path>`` per line, sorted), which
also lists ``datapackage.json`` itself. ``python -m layers verify`` checks both.

The export time lives only in the package's ``created`` member (and in the
facts of a single-file download): two exports of the same catalogue and
settings differ in nothing else, so their data files are byte-identical.

The JSON is written here with the :mod:`json` module, not the ``frictionless``
library, which rewrites ``hash`` into another shape when it saves.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from layers.catalogue import Catalogue
from layers.catalogue.model import TABLE_FILES
from layers.catalogue.store.native import text_tables, write_text_tables

__all__ = [
    "BAGIT_MANIFEST",
    "DATAPACKAGE",
    "MEDIA_TYPES",
    "TOOL_NAME",
    "catalogue_facts",
    "export_facts",
    "package_files",
    "sha256_hex",
    "tool_version",
    "utc_now",
]

DATAPACKAGE = "datapackage.json"
BAGIT_MANIFEST = "manifest-sha256.txt"
#: Files a package adds beside its data files.
PACKAGE_FILES = (DATAPACKAGE, BAGIT_MANIFEST)
TOOL_NAME = "strike-map"
#: The Frictionless profile the package follows (Data Package v1).
PROFILE = "data-package"
#: Media type and Frictionless ``format`` of each file suffix.
MEDIA_TYPES: Mapping[str, tuple[str, str]] = {
    ".geojson": ("geojson", "application/geo+json"),
    ".kml": ("kml", "application/vnd.google-earth.kml+xml"),
    ".gpkg": ("gpkg", "application/geopackage+sqlite3"),
    ".csv": ("csv", "text/csv"),
    ".html": ("html", "text/html"),
    ".json": ("json", "application/json"),
}
_PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
_NAME_RE = re.compile(r"[^a-z0-9._-]+")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of *data* as 64 lower-case hex digits."""
    return hashlib.sha256(data).hexdigest()


def utc_now() -> str:
    """The current time in UTC, ISO 8601 to the second (``...Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tool_version() -> str:
    """The project's version, as ``pyproject.toml`` states it."""
    with _PYPROJECT.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def catalogue_facts(
    catalogue: Catalogue | None, *, catalogue_version: str | None = None
) -> dict[str, Any] | None:
    """The catalogue's content hash and row counts.

    Each table is hashed in its canonical form: the CSV that
    ``python -m layers convert --format csv`` writes for it. The catalogue's
    hash is the SHA-256 of the BagIt-style list of those three hashes
    (``<hex>  events.csv`` ... one per line, in the order events, claims,
    sources), so ``sha256sum`` over a converted copy reproduces it.

    Parameters
    ----------
    catalogue
        The catalogue the layers were built from (None: not known).
    catalogue_version
        The team catalogue's version (the database's latest change), when the
        catalogue comes from it; None for a catalogue read from files.
    """
    if catalogue is None:
        return None
    tables: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="strikemap-hash-") as folder:
        write_text_tables(text_tables(catalogue), Path(folder))
        for key, file_name in TABLE_FILES.items():
            data = (Path(folder) / file_name).read_bytes()
            tables[key] = {"file": file_name, "sha256": sha256_hex(data)}
    rows = {
        "events": len(catalogue.events),
        "claims": len(catalogue.claims),
        "sources": len(catalogue.sources),
    }
    for key, count in rows.items():
        tables[key]["rows"] = count
    listing = "".join(f"{t['sha256']}  {t['file']}\n" for t in tables.values())
    return {
        "sha256": sha256_hex(listing.encode("utf-8")),
        "tables": tables,
        "catalogue_version": catalogue_version,
    }


def export_facts(
    *,
    catalogue: Mapping[str, Any] | None,
    settings: Mapping[str, Any],
    layers: Mapping[str, int],
    exported_at: str | None = None,
) -> dict[str, Any]:
    """The facts every export carries (the ``strikemap`` member).

    Parameters
    ----------
    catalogue
        :func:`catalogue_facts` of the catalogue (None: not known).
    settings
        Widths, filters, layers asked for and format.
    layers
        Layer name to its number of features, as exported.
    exported_at
        The export time (UTC, ISO 8601); None leaves it out, as the data
        files inside a package do (the package's ``created`` holds it).
    """
    facts: dict[str, Any] = {
        "tool": {"name": TOOL_NAME, "version": tool_version()},
        "catalogue": dict(catalogue) if catalogue is not None else None,
        "settings": dict(settings),
        "layers": dict(layers),
    }
    if exported_at is not None:
        facts["exported_at"] = exported_at
    return facts


def facts_json(facts: Mapping[str, Any]) -> str:
    """*facts* as compact, deterministic JSON (keys in order, UTF-8)."""
    return json.dumps(facts, ensure_ascii=False, separators=(",", ":"))


def resource_name(path: str) -> str:
    """A Frictionless resource name (lower-case, ``a-z0-9._-``) for *path*."""
    return _NAME_RE.sub("-", path.lower()).strip("-") or "file"


def _resource(path: str, data: bytes) -> dict[str, Any]:
    fmt, media = MEDIA_TYPES.get(
        PurePosixPath(path).suffix.lower(), ("", "application/octet-stream")
    )
    resource: dict[str, Any] = {"name": resource_name(path), "path": path}
    if fmt:
        resource["format"] = fmt
    resource.update(
        {"mediatype": media, "bytes": len(data), "hash": f"sha256:{sha256_hex(data)}"}
    )
    if fmt in ("geojson", "kml", "csv", "html", "json"):
        resource["encoding"] = "utf-8"
    return resource


def datapackage(
    files: Mapping[str, bytes], facts: Mapping[str, Any], *, exported_at: str
) -> dict[str, Any]:
    """The Frictionless Data Package describing *files* (path to bytes)."""
    return {
        "profile": PROFILE,
        "name": "strike-map-export",
        "title": "Strike map export",
        "created": exported_at,
        "strikemap": dict(facts),
        "resources": [_resource(path, files[path]) for path in sorted(files)],
    }


def datapackage_bytes(package: Mapping[str, Any]) -> bytes:
    """*package* as the bytes of ``datapackage.json`` (indented, sorted resources)."""
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def bagit_manifest(hashes: Mapping[str, str]) -> bytes:
    """BagIt ``manifest-sha256.txt``: ``<hex>  <path>`` per file, sorted by path."""
    return "".join(f"{hashes[p]}  {p}\n" for p in sorted(hashes)).encode("utf-8")


def package_files(
    files: Mapping[str, bytes],
    facts: Mapping[str, Any],
    *,
    exported_at: str | None = None,
) -> dict[str, bytes]:
    """*files* plus their ``datapackage.json`` and ``manifest-sha256.txt``.

    Parameters
    ----------
    files
        Path inside the package (POSIX, relative) to content.
    facts
        :func:`export_facts` without an export time.
    exported_at
        The export time (default: now, UTC).

    Returns
    -------
    Every file of the package, path to bytes.

    Raises
    ------
    ValueError
        If a path is not a plain relative path or names a package file.
    """
    for path in files:
        check_member_path(path)
        if path in PACKAGE_FILES:
            raise ValueError(f"'{path}' is the name of a package file")
    created = exported_at or utc_now()
    package = datapackage_bytes(datapackage(files, facts, exported_at=created))
    hashes = {path: sha256_hex(data) for path, data in files.items()}
    hashes[DATAPACKAGE] = sha256_hex(package)
    return {**files, DATAPACKAGE: package, BAGIT_MANIFEST: bagit_manifest(hashes)}


def check_member_path(path: str) -> str:
    """*path* if it is a plain relative POSIX path inside a package.

    Raises
    ------
    ValueError
        For an empty or absolute path, a drive or backslash, ``.`` or ``..``
        parts, or control characters.
    """
    if not isinstance(path, str) or not path:
        raise ValueError("a file path must be a non-empty text")
    if any(ord(c) < 0x20 or c == "\x7f" for c in path):
        raise ValueError(f"file path {path!r} holds control characters")
    if path.startswith("/") or "\\" in path or re.match(r"^[A-Za-z]:", path):
        raise ValueError(f"file path {path!r} is absolute; expected a relative path")
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(
            f"file path {path!r} leaves the package or is not plain "
            "(no '..', '.' or empty parts)"
        )
    return path


def names_in_package(paths: Sequence[str]) -> list[str]:
    """The data files among *paths* (the package's own files left out)."""
    return sorted(p for p in paths if p not in PACKAGE_FILES)

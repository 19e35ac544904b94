"""Write layers to disk: RFC 7946 GeoJSON or KML per layer, or one GeoPackage.

Every export carries its facts (catalogue hash, tool version, settings; see
``layers.manifest``): a folder or zip in ``datapackage.json`` and
``manifest-sha256.txt``, each file in its own metadata as well (GeoJSON's
``strikemap`` foreign member, KML's Document ``ExtendedData``, GeoPackage's
``gpkg_metadata``).
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.geojson import to_geojson
from layers.export_kml import layer_kml
from layers.manifest import export_facts, facts_json, package_files
from layers.registry import get_layer

FORMATS = ("geojson", "gpkg", "kml")
#: The ``last_change`` written into every GeoPackage table (ISO 8601, UTC): the
#: day after the last event mapped, so that exports are reproducible.
GPKG_TIMESTAMP = "2020-01-09T00:00:00.000Z"
#: The ``md_standard_uri`` of the export's facts in ``gpkg_metadata``.
GPKG_METADATA_URI = "https://specs.frictionlessdata.io/data-package/"
GPKG_METADATA_TABLES = """
CREATE TABLE IF NOT EXISTS gpkg_metadata (
  id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,
  md_scope TEXT NOT NULL DEFAULT 'dataset',
  md_standard_uri TEXT NOT NULL,
  mime_type TEXT NOT NULL DEFAULT 'text/xml',
  metadata TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (
  reference_scope TEXT NOT NULL,
  table_name TEXT,
  column_name TEXT,
  row_id_value INTEGER,
  timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  md_file_id INTEGER NOT NULL,
  md_parent_id INTEGER,
  CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
  CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id)
);
CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
"""


def _gpkg_ready(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    for column in out.columns:
        if column != out.geometry.name and out[column].dtype == object:
            out[column] = _json_cells(out[column])
    return out


def _json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _json_cells(values: pd.Series) -> list[object]:
    """Lists and dicts as JSON text, other values as they are.

    A list of dicts is written from its dicts' texts, each made once however
    many events share it (the catalogue shares one dict per source and claim):
    ``json.dumps`` joins a list's items with ``", "`` the same way.
    """
    made: dict[int, str] = {}

    def item(value: object) -> str:
        key = id(value)
        if key not in made:
            made[key] = _json_text(value)
        return made[key]

    out: list[object] = []
    for v in values:
        if isinstance(v, list) and all(type(i) is dict for i in v):
            out.append("[" + ", ".join(map(item, v)) + "]")
        elif isinstance(v, (list, dict)):
            out.append(_json_text(v))
        else:
            out.append(v)
    return out


def with_geojson_facts(text: str, facts: Mapping[str, Any] | None) -> str:
    """GeoJSON *text* with *facts* as its top-level ``strikemap`` foreign member.

    RFC 7946 (section 6.1) allows foreign members; readers ignore them.
    """
    if facts is None:
        return text
    if not text.startswith("{"):
        raise ValueError("expected a GeoJSON object")
    return '{\n"strikemap": ' + facts_json(facts) + "," + text[1:]


def layer_geojson(
    name: str, gdf: gpd.GeoDataFrame, *, facts: Mapping[str, Any] | None = None
) -> str:
    """The RFC 7946 text of layer *name*, at the layer's export precision.

    *facts* (:func:`layers.manifest.export_facts`) become the collection's
    ``strikemap`` member.
    """
    text = to_geojson(gdf, name=name, decimals=get_layer(name).decimals)
    return with_geojson_facts(text, facts)


def layer_counts(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, int]:
    """Layer name to its number of features."""
    return {name: len(gdf) for name, gdf in layers.items()}


def default_facts(
    layers: Mapping[str, gpd.GeoDataFrame], *, fmt: str
) -> dict[str, Any]:
    """The facts of an export whose catalogue and settings were not given."""
    return export_facts(
        catalogue=None,
        settings={"format": fmt, "layers": list(layers)},
        layers=layer_counts(layers),
    )


def layer_files(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    fmt: str,
    facts: Mapping[str, Any] | None = None,
) -> dict[str, bytes]:
    """The data files of an export of *layers*, file name to bytes.

    Parameters
    ----------
    layers
        Layer name to frame; every one is written (callers leave out empty
        layers, which no format can hold as a file of their own).
    fmt
        ``geojson``, ``kml`` or ``gpkg``.
    facts
        Written into each file's own metadata (without the export time).

    Raises
    ------
    ValueError
        For an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(
            f"unknown format '{fmt}'; expected one of {', '.join(FORMATS)}"
        )
    if fmt == "geojson":
        return {
            f"{name}.geojson": layer_geojson(name, gdf, facts=facts).encode("utf-8")
            for name, gdf in layers.items()
        }
    if fmt == "kml":
        return {
            f"{name}.kml": layer_kml(name, gdf, facts=facts).encode("utf-8")
            for name, gdf in layers.items()
        }
    with tempfile.TemporaryDirectory(prefix="strikemap-gpkg-") as folder:
        path = Path(folder) / "layers.gpkg"
        write_gpkg(layers, path, facts=facts)
        return {"layers.gpkg": path.read_bytes()}


def export_layers(
    layers: Mapping[str, gpd.GeoDataFrame],
    out_dir: Path,
    *,
    fmt: str = "geojson",
    facts: Mapping[str, Any] | None = None,
    exported_at: str | None = None,
) -> list[Path]:
    """Write *layers* into *out_dir*, with ``datapackage.json`` and a hash list.

    Parameters
    ----------
    layers
        Layer name to frame.
    out_dir
        The folder; created if missing.
    fmt
        ``geojson`` (``<layer>.geojson`` each), ``kml`` (``<layer>.kml`` each,
        for Google Earth) or ``gpkg`` (all in ``layers.gpkg``).
    facts
        :func:`layers.manifest.export_facts` without the export time (default:
        the layers and format only).
    exported_at
        The export time (default: now, UTC); only ``datapackage.json`` holds it.

    Returns
    -------
    The paths written, data files first; a layer with no features is not
    written.

    Raises
    ------
    ValueError
        For an unknown format.
    OSError
        If the folder cannot be created or written.
    """
    layers = {name: gdf for name, gdf in layers.items() if len(gdf)}
    if facts is None:
        facts = default_facts(layers, fmt=fmt)
    files = package_files(
        layer_files(layers, fmt=fmt, facts=facts), facts, exported_at=exported_at
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, data in files.items():
        path = out_dir / file_name
        path.write_bytes(data)
        written.append(path)
    return written


def write_gpkg(
    layers: Mapping[str, gpd.GeoDataFrame],
    path: Path,
    *,
    facts: Mapping[str, Any] | None = None,
) -> Path:
    """Write *layers* into one GeoPackage, *facts* in its ``gpkg_metadata``."""
    path.unlink(missing_ok=True)
    for name, gdf in layers.items():
        _gpkg_ready(gdf).to_file(path, layer=name, driver="GPKG", engine="pyogrio")
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        # GDAL stamps each table with the time of writing (last_change), the
        # only thing that differs between two exports of the same layers. A
        # fixed stamp makes the file byte-identical from run to run.
        connection.execute(
            "UPDATE gpkg_contents SET last_change = ?", (GPKG_TIMESTAMP,)
        )
        if facts is not None:
            add_gpkg_metadata(connection, facts_json({"strikemap": facts}))
    return path


def add_gpkg_metadata(connection: sqlite3.Connection, text: str) -> None:
    """Store *text* (JSON) as the GeoPackage's dataset-wide metadata.

    Follows the GeoPackage metadata extension (``gpkg_metadata`` and
    ``gpkg_metadata_reference``, scope ``geopackage``, registered in
    ``gpkg_extensions``).
    """
    connection.executescript(GPKG_METADATA_TABLES)
    cursor = connection.execute(
        "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata)"
        " VALUES ('dataset', ?, 'application/json', ?)",
        (GPKG_METADATA_URI, text),
    )
    connection.execute(
        "INSERT INTO gpkg_metadata_reference (reference_scope, table_name,"
        " column_name, row_id_value, timestamp, md_file_id, md_parent_id)"
        " VALUES ('geopackage', NULL, NULL, NULL, ?, ?, NULL)",
        (GPKG_TIMESTAMP, cursor.lastrowid),
    )
    for table in ("gpkg_metadata", "gpkg_metadata_reference"):
        connection.execute(
            "INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name,"
            " extension_name, definition, scope) VALUES (?, NULL, 'gpkg_metadata',"
            " 'http://www.geopackage.org/spec120/#extension_metadata', 'read-write')",
            (table,),
        )


def gpkg_facts(path: Path) -> dict[str, Any] | None:
    """The facts an exported GeoPackage holds in ``gpkg_metadata`` (None: none)."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        try:
            row = db.execute(
                "SELECT metadata FROM gpkg_metadata WHERE md_standard_uri = ?",
                (GPKG_METADATA_URI,),
            ).fetchone()
        except sqlite3.OperationalError:
            return None
    return json.loads(row[0])["strikemap"] if row else None


def layers_zip(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    suffix: str = "",
    facts: Mapping[str, Any] | None = None,
    exported_at: str | None = None,
) -> bytes:
    """All *layers* as GeoJSON and KML files in one zip, with their manifests.

    Bytes are deterministic apart from the export time in
    ``datapackage.json`` (entries dated 2020-01-01, in a fixed order).
    """
    if facts is None:
        facts = default_facts(layers, fmt="zip")
    files: dict[str, bytes] = {}
    for name, gdf in layers.items():
        files[f"{name}{suffix}.geojson"] = layer_geojson(name, gdf, facts=facts).encode(
            "utf-8"
        )
        files[f"{name}{suffix}.kml"] = layer_kml(name, gdf, facts=facts).encode("utf-8")
    return zip_bytes(package_files(files, facts, exported_at=exported_at))


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """*files* (name to bytes) as a deflated zip with fixed entry dates."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file_name, data in files.items():
            info = zipfile.ZipInfo(file_name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()

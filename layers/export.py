"""Write layers to disk: RFC 7946 GeoJSON or KML per layer, or one GeoPackage."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import zipfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd

from geo.geojson import to_geojson
from layers.export_kml import layer_kml
from layers.registry import get_layer

FORMATS = ("geojson", "gpkg", "kml")
#: The ``last_change`` written into every GeoPackage table (ISO 8601, UTC): the
#: day after the last event mapped, so that exports are reproducible.
GPKG_TIMESTAMP = "2020-01-09T00:00:00.000Z"


def layer_geojson(name: str, gdf: gpd.GeoDataFrame) -> str:
    """The RFC 7946 text of layer *name*, at the layer's export precision."""
    return to_geojson(gdf, name=name, decimals=get_layer(name).decimals)


def _gpkg_ready(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    for column in out.columns:
        if column != out.geometry.name and out[column].dtype == object:
            out[column] = [
                json.dumps(v, ensure_ascii=False, sort_keys=True)
                if isinstance(v, (list, dict))
                else v
                for v in out[column]
            ]
    return out


def export_layers(
    layers: Mapping[str, gpd.GeoDataFrame], out_dir: Path, *, fmt: str = "geojson"
) -> list[Path]:
    """Write *layers* into *out_dir*.

    Parameters
    ----------
    layers
        Layer name to frame.
    out_dir
        The folder; created if missing.
    fmt
        ``geojson`` (``<layer>.geojson`` each), ``kml`` (``<layer>.kml`` each,
        for Google Earth) or ``gpkg`` (all in ``layers.gpkg``).

    Returns
    -------
    The paths written; a layer with no features is not written.

    Raises
    ------
    ValueError
        For an unknown format.
    OSError
        If the folder cannot be created or written.
    """
    if fmt not in FORMATS:
        raise ValueError(
            f"unknown format '{fmt}'; expected one of {', '.join(FORMATS)}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    layers = {name: gdf for name, gdf in layers.items() if len(gdf)}
    if fmt == "geojson":
        written = []
        for name, gdf in layers.items():
            path = out_dir / f"{name}.geojson"
            path.write_text(layer_geojson(name, gdf), encoding="utf-8")
            written.append(path)
        return written
    if fmt == "kml":
        written = []
        for name, gdf in layers.items():
            path = out_dir / f"{name}.kml"
            path.write_text(layer_kml(name, gdf), encoding="utf-8")
            written.append(path)
        return written
    path = out_dir / "layers.gpkg"
    path.unlink(missing_ok=True)
    for name, gdf in layers.items():
        _gpkg_ready(gdf).to_file(path, layer=name, driver="GPKG", engine="pyogrio")
    _fix_gpkg_timestamps(path)
    return [path]


def _fix_gpkg_timestamps(path: Path) -> None:
    # GDAL stamps each table with the time of writing (gpkg_contents.last_change),
    # the only thing that differs between two exports of the same layers. A
    # fixed stamp makes the file byte-identical from run to run.
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            "UPDATE gpkg_contents SET last_change = ?", (GPKG_TIMESTAMP,)
        )


def layers_zip(layers: Mapping[str, gpd.GeoDataFrame], *, suffix: str = "") -> bytes:
    """All *layers* as GeoJSON and KML files in one zip (deterministic bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, gdf in layers.items():
            info = zipfile.ZipInfo(
                f"{name}{suffix}.geojson", date_time=(2020, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, layer_geojson(name, gdf))
            info = zipfile.ZipInfo(
                f"{name}{suffix}.kml", date_time=(2020, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, layer_kml(name, gdf))
    return buffer.getvalue()

"""Read a GeoJSON, GeoPackage, KML or KMZ file's features (in the worker).

Runs inside the worker process of ``layers.catalogue.isolation``: GDAL is
started there with every driver skipped but the one for the detected format
(``GDAL_SKIP``), so a file can only ever be read as what it was detected as.
GeoJSON and GeoPackage go through GDAL from memory (``/vsimem/``); KML and KMZ
through the project's own parser (``kml.py``). A GeoJSON's legacy ``crs``
member is read here: an EPSG code is honoured (the features reprojected to
WGS84), any other kind (a link, a file) is refused by name and never given
to GDAL. Every frame is checked against the limits before it leaves.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from layers.catalogue.archives import Unpacked, open_zip
from layers.catalogue.errors import CatalogueError
from layers.catalogue.importers.kml import read_kml
from layers.catalogue.importers.rows import FeatureError
from layers.catalogue.limits import LIMITS, Limits

#: The one GDAL driver each format is read with.
DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG"}
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_EPSG = re.compile(r"(?:^|[:/])EPSG(?::[\d.]*)?:+(\d+)$", re.IGNORECASE)
_CRS84 = re.compile(r"(?:^|[:/])(?:OGC(?::[\d.]*)?:+)?CRS:?84$", re.IGNORECASE)


def json_depth(data: bytes) -> int:
    """How deeply objects and arrays nest in JSON *data* (strings skipped)."""
    bare = np.frombuffer(_STRING.sub(b'""', data), dtype=np.uint8)
    steps = np.zeros(len(bare), dtype=np.int32)
    steps[(bare == ord("{")) | (bare == ord("["))] = 1
    steps[(bare == ord("}")) | (bare == ord("]"))] = -1
    return int(np.cumsum(steps).max(initial=0))


def legacy_crs(data: bytes, *, name: str) -> tuple[bytes, str | None]:
    """The GeoJSON without its legacy ``crs`` member, and the EPSG code it named.

    Raises
    ------
    CatalogueError
        If the member is of a kind other than an EPSG name or code (a
        ``link`` to a file or URL, say), naming it.
    """
    if b'"crs"' not in data:
        return data, None
    document = json.loads(data)
    member = document.pop("crs", None) if isinstance(document, dict) else None
    if member is None:
        return data, None
    kind = str(member.get("type", "")) if isinstance(member, dict) else ""
    properties = member.get("properties", {}) if isinstance(member, dict) else {}
    properties = properties if isinstance(properties, dict) else {}
    text = str(properties.get("name") or properties.get("code") or "")
    epsg = _EPSG.search(text) if kind.lower() == "name" else None
    if kind.lower() == "epsg" and text.isdigit():
        code = f"EPSG:{text}"
    elif epsg:
        code = f"EPSG:{epsg[1]}"
    elif kind.lower() == "name" and _CRS84.search(text):
        code = "EPSG:4326"
    else:
        shown = json.dumps(member)[:120]
        raise CatalogueError(
            name,
            f"has a legacy 'crs' member {shown}; only one naming an EPSG code "
            "(such as EPSG:3857) is honoured, and RFC 7946 GeoJSON has none "
            "(longitude, latitude in WGS84)",
            column="crs",
        )
    return json.dumps(document).encode(), code


def _gdal_layers(
    kind: str, data: bytes, *, name: str, limits: Limits
) -> list[gpd.GeoDataFrame]:
    import pyogrio

    frames, left = [], limits.features
    # GeoJSON dates stay text, checked (and named by feature) by the importer.
    options = {"DATE_AS_STRING": True} if kind == "geojson" else {}
    # Layers by index: reading bytes names each layer after a temporary file.
    for layer in range(len(pyogrio.list_layers(data))):
        try:
            frame = pyogrio.read_dataframe(
                data,
                layer=layer,
                max_features=left + 1,
                datetime_as_string=True,
                **options,
            )
        except ValueError as exc:  # GDAL's date, out of the calendar
            raise CatalogueError(
                name,
                f"layer {layer + 1} holds a date that does not exist "
                f"({exc}); check its date columns",
            ) from None
        if not isinstance(frame, gpd.GeoDataFrame):
            continue  # a table without geometry (e.g. in a GeoPackage)
        left -= len(frame)
        if left < 0:
            raise CatalogueError(
                name, f"holds more than {limits.features:,} features (all layers)"
            )
        frames.append(frame)
    return frames


def _kmz(data: bytes, *, name: str, limits: Limits) -> gpd.GeoDataFrame:
    with open_zip(data, name=name, limits=limits) as archive:
        kml = [i for i in archive.infolist() if i.filename.lower().endswith(".kml")]
        if not kml:
            raise CatalogueError(name, "is a zip without a .kml member")
        doc = [i for i in kml if i.filename.lower() == "doc.kml"] or kml
        member = Unpacked(name=name, limits=limits).read(archive, doc[0])
    return read_kml(member, name=f"{name}/{doc[0].filename}", limits=limits)


def read_features(
    kind: str, data: bytes, *, name: str, limits: Limits = LIMITS
) -> gpd.GeoDataFrame:
    """Every feature of *data* read as *kind*, text columns, in WGS84.

    Parameters
    ----------
    kind
        ``geojson``, ``gpkg``, ``kml`` or ``kmz``.

    Raises
    ------
    CatalogueError
        If the file cannot be read as *kind* or breaks a limit, naming it
        (and the feature and column where one is at fault).
    """
    if kind == "kml":
        frames = [read_kml(data, name=name, limits=limits)]
    elif kind == "kmz":
        frames = [_kmz(data, name=name, limits=limits)]
    else:
        code = None
        if kind == "geojson":
            depth = json_depth(data)
            if depth > limits.depth:
                raise CatalogueError(
                    name,
                    f"nests objects and arrays {depth} deep; at most "
                    f"{limits.depth} levels are read",
                )
            data, code = legacy_crs(data, name=name)
        frames = _gdal_layers(kind, data, name=name, limits=limits)
        if code is not None:
            frames = [f.set_crs(code, allow_override=True) for f in frames]
    frames = [_wgs84(f) for f in frames if len(f)]
    if not frames:
        raise CatalogueError(name, "holds no features; expected events as features")
    gdf = pd.concat(frames, ignore_index=True)
    gdf = gpd.GeoDataFrame(gdf, geometry=gdf.geometry.name, crs=WGS84)
    check_frame(gdf, name=name, limits=limits)
    return gdf


def _wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is not None:
        frame = frame.to_crs(WGS84)
    frame = frame.set_crs(WGS84, allow_override=True)
    geometry = frame.geometry.name
    for column in frame.columns.drop(geometry):
        text = frame[column].astype("string").fillna("")
        frame[column] = text.astype(object)
    return frame.rename_geometry("geometry") if geometry != "geometry" else frame


def check_frame(gdf: gpd.GeoDataFrame, *, name: str, limits: Limits) -> None:
    """Raise if *gdf* breaks the per-feature limits (vectorised).

    Raises
    ------
    CatalogueError
        For too many features or properties; a ``FeatureError`` for the first
        geometry with too many vertices or cell with too much text.
    """
    if len(gdf) > limits.features:
        raise CatalogueError(name, f"holds more than {limits.features:,} features")
    if len(gdf.columns) - 1 > limits.properties:
        raise CatalogueError(
            name,
            f"has {len(gdf.columns) - 1:,} properties per feature; at most "
            f"{limits.properties:,} are read",
        )
    vertices = shapely.get_num_coordinates(gdf.geometry.to_numpy())
    if len(gdf) and vertices.max() > limits.vertices:
        feature = int(np.argmax(vertices > limits.vertices)) + 1
        raise FeatureError(
            name,
            f"has {int(vertices[feature - 1]):,} positions in one geometry; at most "
            f"{limits.vertices:,} are read",
            feature=feature,
            column="geometry",
        )
    for column in gdf.columns.drop("geometry"):
        lengths = gdf[column].str.len().to_numpy()
        if len(lengths) and lengths.max() > limits.cell_chars:
            feature = int(np.argmax(lengths > limits.cell_chars)) + 1
            raise FeatureError(
                name,
                f"holds {int(lengths[feature - 1]):,} characters; at most "
                f"{limits.cell_chars:,} per cell are read",
                feature=feature,
                column=str(column),
            )

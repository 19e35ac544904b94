"""RFC 7946 GeoJSON export through GDAL's RFC 7946 mode."""

from __future__ import annotations

import io
import json
import math
from datetime import date, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.crs import WGS84, require_crs
from geo.errors import EmptyLayerError

#: The IANA media type of GeoJSON (RFC 7946, section 12).
GEOJSON_MEDIA_TYPE = "application/geo+json"
#: Six decimals is about 10 cm: nothing in this project is known better.
MAX_DECIMALS = 6


def _plain(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (datetime, date, pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _iso_dates(series: pd.Series) -> list[str | None]:
    # A column of whole days is written as dates (2019-12-29), not midnights.
    stamps = pd.to_datetime(series)
    whole_days = bool((stamps.dropna() == stamps.dropna().dt.normalize()).all())
    return [
        None if pd.isna(v) else (v.date().isoformat() if whole_days else v.isoformat())
        for v in stamps
    ]


def _properties(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    columns = {}
    for column in gdf.columns:
        if column == gdf.geometry.name:
            continue
        series = gdf[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            columns[column] = _iso_dates(series)
        elif (
            pd.api.types.is_float_dtype(series)
            or pd.api.types.is_integer_dtype(series)
            or pd.api.types.is_bool_dtype(series)
        ):
            columns[column] = series
        else:
            columns[column] = pd.Series(
                [_plain(v) for v in series], index=series.index, dtype=object
            )
    return pd.DataFrame(columns, index=gdf.index)


def to_geojson(
    gdf: gpd.GeoDataFrame,
    *,
    name: str = "layer",
    decimals: int = MAX_DECIMALS,
    bbox: bool = True,
) -> str:
    """Serialize *gdf* as an RFC 7946 FeatureCollection.

    GDAL's GeoJSON driver does the work in its RFC 7946 mode: WGS84
    longitude/latitude, no ``crs`` member, counter-clockwise exterior rings and
    clockwise holes, geometries cut at the antimeridian. Dates become ISO 8601
    strings and missing values ``null``. The same input gives byte-identical
    output.

    Parameters
    ----------
    gdf
        The features, in any CRS.
    name
        The collection's ``name`` member (the layer name).
    decimals
        Coordinate decimals, at most 6 (about 10 cm); fewer for coarse data.
    bbox
        Write ``bbox`` members ([west, south, east, north]).

    Returns
    -------
    The GeoJSON text.

    Raises
    ------
    MissingCRSError
        If *gdf* has no CRS.
    EmptyLayerError
        If *gdf* has no features.
    ValueError
        If *decimals* is outside 0-6.
    """
    require_crs(gdf, name=name)
    if len(gdf) == 0:
        raise EmptyLayerError(f"layer '{name}' has no features to export")
    if not 0 <= decimals <= MAX_DECIMALS:
        raise ValueError(
            f"decimals must be between 0 and {MAX_DECIMALS}, got {decimals}"
        )
    gdf_wgs84 = gdf.to_crs(WGS84)
    frame = gpd.GeoDataFrame(
        _properties(gdf_wgs84), geometry=gdf_wgs84.geometry.values, crs=WGS84
    ).reset_index(drop=True)
    options = {
        "RFC7946": "YES",
        "COORDINATE_PRECISION": str(decimals),
        "WRITE_BBOX": "YES" if bbox else "NO",
    }
    text = _write(frame, name, options)
    if _COLLECTION in text and not _has_collections(frame):
        # GDAL's rounding in RFC 7946 mode can turn a valid polygon with a
        # narrow inlet into a GeometryCollection of a polygon and a line (seen
        # on Krasnoyarsk's coast). Rounding the areas to the same grid first,
        # keeping them valid, leaves GDAL nothing to repair.
        geometry = np.asarray(frame.geometry.values, dtype=object)
        areas = np.isin(shapely.get_type_id(geometry), _AREAS)
        rounded = geometry.copy()
        rounded[areas] = shapely.set_precision(geometry[areas], 10.0**-decimals)
        text = _write(frame.set_geometry(rounded), name, options)
    return text


#: How GDAL writes a geometry collection's type member.
_COLLECTION = '"type": "GeometryCollection"'
#: Shapely type ids of Polygon and MultiPolygon.
_AREAS = (3, 6)


def _has_collections(frame: gpd.GeoDataFrame) -> bool:
    return bool((shapely.get_type_id(frame.geometry.values) == 7).any())


def _write(frame: gpd.GeoDataFrame, name: str, options: dict[str, str]) -> str:
    buffer = io.BytesIO()
    pyogrio.write_dataframe(
        frame, buffer, driver="GeoJSON", layer=name, layer_options=options
    )
    return buffer.getvalue().decode("utf-8")

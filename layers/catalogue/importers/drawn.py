"""Drawn features (points, areas) as native events: class, radius, country, notes.

The build half of the vector-file importer (``features`` reads and checks):
a point stands for the place, a polygon or line is the area the event lies in,
carried as the smallest circle that holds it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import WGS84
from layers.catalogue.importers.areas import enclosing_circle, reference_frames
from layers.catalogue.importers.columns import (
    native_codes,
    radius_text,
    whole_number_text,
)
from layers.catalogue.importers.dates import iso_dates
from layers.catalogue.importers.names import country_codes
from layers.catalogue.importers.native import Tables, claims_frame, events_frame
from layers.catalogue.model import PRECISION_CLASSES, SOURCE_COLUMNS

#: Defaults for what a drawn file lacks.
DEFAULT_EVENT_TYPE = ("Strategic developments", "Other")
DEFAULT_CONFIDENCE = "weak"
#: A point with no stated precision: "near a named place" (P3, no pin).
DEFAULT_POINT_CLASS = "P3"
DEFAULT_POINT_RADIUS_M = 25_000.0
#: Classes chosen from a radius, tightest first (area-only classes for areas).
POINT_CLASSES = ("P1", "P2", "P3", "P5", "P6")
AREA_CLASSES = ("P3", "P5", "P6")

#: Each feature's cells: native column -> (the file's column or None, text).
Cells = dict[str, tuple[str | None, pd.Series]]


@dataclass(frozen=True)
class Shapes:
    """Where each feature is drawn: anchor, class, radius, and what it was."""

    lon: pd.Series
    lat: pd.Series
    klass: pd.Series
    radius: pd.Series
    is_point: pd.Series
    point_default: pd.Series
    area_km2: pd.Series


def _class_for(radius: pd.Series, classes: tuple[str, ...]) -> pd.Series:
    out = pd.Series(classes[-1], index=radius.index, dtype=str)
    for klass in reversed(classes):
        out[radius <= PRECISION_CLASSES[klass].max_radius_m] = klass
    return out


def shapes(
    geometry: gpd.GeoSeries, radius: pd.Series, klass_given: pd.Series
) -> Shapes:
    """Anchor, class and radius of each feature, honest to its geometry."""
    radius = radius.copy()
    is_point = geometry.geom_type == "Point"
    lon = pd.Series(np.nan, index=geometry.index)
    lat = pd.Series(np.nan, index=geometry.index)
    lon[is_point] = geometry[is_point].x
    lat[is_point] = geometry[is_point].y
    klass = klass_given.copy()
    point_default = is_point & (klass == "") & radius.isna()
    radius[point_default] = DEFAULT_POINT_RADIUS_M
    klass[point_default] = DEFAULT_POINT_CLASS
    todo = is_point & (klass == "")
    klass[todo] = _class_for(radius[todo], POINT_CLASSES)
    pinned = is_point & radius.isna()
    radius[pinned] = klass[pinned].map(lambda k: PRECISION_CLASSES[k].max_radius_m)
    area = ~is_point
    area_km2 = pd.Series(0.0, index=geometry.index)
    if area.any():
        circles = [enclosing_circle(g) for g in geometry[area]]
        lon[area] = [c.lon for c in circles]
        lat[area] = [c.lat for c in circles]
        drawn = pd.Series([c.radius_m for c in circles], index=geometry[area].index)
        radius[area] = np.maximum(radius[area].fillna(0), drawn)
        unset = area & (klass == "")
        klass[unset] = _class_for(radius[unset], AREA_CLASSES)
        area_km2[area] = (
            gpd.GeoSeries(geometry[area], crs=WGS84).to_crs("EPSG:6933").area / 1e6
        )
    return Shapes(lon, lat, klass, radius, is_point, point_default, area_km2)


def _countries(cells: Cells, where: Shapes) -> pd.Series:
    """The country each feature names, else the one its anchor lies in."""
    countries, _ = reference_frames()
    country_text = cells["country"][1]
    country = country_codes(country_text, country_text)
    missing = country == ""
    if missing.any():
        points = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy(where.lon[missing], where.lat[missing]),
            index=where.lon[missing].index,
            crs=WGS84,
        )
        joined = gpd.sjoin(points, countries[["iso_a3", "geometry"]], how="left")
        joined = joined[~joined.index.duplicated()]
        country[missing] = joined["iso_a3"].fillna("")
    return country


def _notes(
    cells: Cells, where: Shapes, geometry: gpd.GeoSeries, name: str
) -> pd.Series:
    """Where each shape came from (the derivation), then the file's notes."""
    km = (where.radius / 1000).round(1).astype(str).str.removesuffix(".0")
    point, area = where.is_point, ~where.is_point
    shape = pd.Series("", index=geometry.index)
    shape[point] = (
        "Location: a point drawn in " + name + ", within " + km[point] + " km"
    )
    default = where.point_default
    shape[default] = (
        shape[default]
        + " (no precision in the file: taken as near a named place, no pin)"
    )
    shape[area] = (
        "Location: an area drawn in "
        + name
        + " ("
        + geometry[area].geom_type
        + ", "
        + where.area_km2[area].round(0).astype(int).astype(str)
        + " km2), carried as the smallest circle that holds it ("
        + km[area]
        + " km)"
    )
    return (shape + ". " + cells["notes"][1]).str.rstrip(". ") + "."


def _filled(cells: Cells, index: pd.Index, name: str) -> dict[str, pd.Series]:
    """The cells a drawn file may leave empty, with their defaults."""
    numbered = (
        PurePath(name).stem
        + "-"
        + pd.Series(np.arange(1, len(index) + 1), index=index).astype(str)
    )
    event_id, title = cells["event_id"][1], cells["title"][1]
    title = title.where(title != "", "Feature " + numbered)
    event_type, sub_event = cells["event_type"][1], cells["sub_event_type"][1]
    no_type = event_type == ""
    event_type[no_type] = DEFAULT_EVENT_TYPE[0]
    sub_event[no_type] = DEFAULT_EVENT_TYPE[1]
    confidence, location = cells["confidence"][1], cells["location"][1]
    return {
        "event_id": event_id.where(event_id != "", numbered),
        "title": title,
        "event_type": event_type,
        "sub_event_type": sub_event,
        "confidence": confidence.where(confidence != "", DEFAULT_CONFIDENCE),
        "location": location.where(location != "", title),
    }


def build(
    gdf: gpd.GeoDataFrame,
    name: str,
    cells: Cells,
    dates: tuple[pd.Series, pd.Series],
    radius: pd.Series,
    klass_given: pd.Series,
) -> Tables:
    """The native tables of checked features (see ``features.to_tables``)."""
    start, end = dates
    where = shapes(gdf.geometry, radius, klass_given)
    source_ids, sources = _sources(cells, name, gdf.index)
    country = _countries(cells, where)
    span_days = (end - start).dt.days
    guessed = pd.Series(
        np.select([span_days <= 0, span_days <= 7], ["1", "2"], "3"), index=gdf.index
    )
    time_precision = cells["time_precision"][1]
    geo_cell, where_cell = native_codes(
        where.klass, acled=cells["geo_precision"][1], ucdp=cells["where_prec"][1]
    )
    filled = _filled(cells, gdf.index, name)
    rows = np.arange(1, len(gdf) + 1)
    events = events_frame(
        {
            **{c: cells[c][1] for c in ("group_id", "attacker", "target")},
            **{c: cells[c][1] for c in ("target_kind", "admin1", "constraints")},
            **filled,
            "description": cells["description"][1],
            "date_start": iso_dates(start),
            "date_end": iso_dates(end),
            "time_precision": time_precision.where(time_precision != "", guessed),
            "country": country,
            "lat": where.lat.round(6).astype(str),
            "lon": where.lon.round(6).astype(str),
            "precision_class": where.klass,
            "geo_precision": geo_cell,
            # Outside every country of the reference: at sea or in the air (UCDP 7).
            "where_prec": where_cell.where(country != "", "7"),
            "uncertainty_m": radius_text(where.radius),
            "notes": _notes(cells, where, gdf.geometry, name),
            "source_ids": source_ids,
            "_row": rows,
        },
        gdf.index,
    )
    claims = _claims(cells, filled["event_id"], source_ids, name, rows)
    return Tables(events, claims, sources)


def _claims(
    cells: Cells,
    event_id: pd.Series,
    source_ids: pd.Series,
    name: str,
    rows: np.ndarray,
) -> pd.DataFrame:
    killed_column, killed = cells["killed"]
    counted = pd.to_numeric(killed, errors="coerce")
    has = counted.notna() & (counted >= 0)
    claims = claims_frame(
        {
            "applies_to": event_id,
            "claimant": "The source of " + name,
            "killed_low": whole_number_text(counted.where(has).round()),
            "killed_high": whole_number_text(counted.where(has).round()),
            "detail": f"The '{killed_column}' value of the feature.",
            "source_ids": source_ids,
            "_row": rows,
        },
        event_id.index,
    )[has.to_numpy()]
    return claims.reset_index(drop=True)


def _sources(
    cells: dict[str, tuple[str | None, pd.Series]], name: str, index: pd.Index
) -> tuple[pd.Series, pd.DataFrame]:
    title = cells["source"][1]
    url = cells["url"][1]
    url = url.where(url.str.match(r"^https?://"), "")
    title = title.where(title != "", url)
    file_source = f"file-{hashlib.sha1(name.encode()).hexdigest()[:10]}"
    keys = title + "\x00" + url
    ids = keys.map(lambda k: "src-" + hashlib.sha1(k.encode()).hexdigest()[:10])
    ids = ids.where(title != "", file_source)
    table = pd.DataFrame(
        {
            "source_id": ids,
            "title": title.where(title != "", f"{name} (no source given)"),
            "outlet": "",
            "published": "",
            "url": url,
        },
        columns=list(SOURCE_COLUMNS),
    ).drop_duplicates("source_id")
    table["_row"] = 0
    return ids, table.reset_index(drop=True)

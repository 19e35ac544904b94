"""Honest areas for imported events: enclosing circles, provinces, countries.

Radii are measured on the ellipsoid and rounded up to the next kilometre, so
a circle never cuts the area it stands for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from layers.catalogue.check.geography import reach_m
from layers.catalogue.model import AREA_WIDE_CLASSES, MAX_RADIUS_M, PRECISION_CLASSES
from layers.catalogue.reference import (
    REFERENCE_DIR,
    read_reference_file,
    whole_countries,
)
from layers.catalogue.world import shipped_world

_GEOD = Geod(ellps="WGS84")
#: Computed radii are rounded up to this (metres), so a circle never cuts its area.
ROUND_UP_M = 1_000.0


def outline_countries() -> gpd.GeoDataFrame:
    """Every country outline: the regional one where it is whole, else the world's."""
    regional = whole_countries(reference_frames()[0])
    world = shipped_world().countries[["iso_a3", "geometry"]]
    both = pd.concat([regional[["iso_a3", "geometry"]], world], ignore_index=True)
    return gpd.GeoDataFrame(both.drop_duplicates("iso_a3"), crs=world.crs)


def reference_frames() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The reference countries and admin-1 areas (EPSG:4326)."""
    return (
        read_reference_file(REFERENCE_DIR / "countries.geojson"),
        read_reference_file(REFERENCE_DIR / "admin1.geojson"),
    )


@dataclass(frozen=True)
class Circle:
    """The smallest circle holding an area: its centre and geodesic radius."""

    lon: float
    lat: float
    radius_m: float


def _round_up(metres: float) -> float:
    return float(np.ceil(metres / ROUND_UP_M) * ROUND_UP_M)


def enclosing_circle(geometry: shapely.Geometry) -> Circle:
    """The smallest circle (Darwin Core's point-radius) that holds *geometry*.

    The centre is found in an azimuthal equidistant CRS around the area, then
    the radius is measured on the ellipsoid to every vertex and rounded up to
    the next kilometre, so the circle never cuts the area.
    """
    return enclosing_circles([geometry])[0]


def enclosing_circles(geometries: Sequence[shapely.Geometry]) -> list[Circle]:
    """:func:`enclosing_circle` of each of *geometries*, all at once.

    The azimuthal equidistant projection around each area's centroid is
    PROJ's ellipsoidal ``aeqd`` formula itself (a vertex goes to its geodesic
    distance and azimuth from the centre, and back by the direct problem),
    solved for every vertex of every area in one ``pyproj.Geod`` call instead
    of building two transformers per area.
    """
    shapes = np.asarray(geometries, dtype=object)
    if len(shapes) == 0:
        return []
    centre = shapely.get_coordinates(shapely.centroid(shapes))
    # aeqd_crs writes its centre with 9 decimals; keep the same centre.
    lon0, lat0 = np.round(centre[:, 0], 9), np.round(centre[:, 1], 9)
    xy, owner = shapely.get_coordinates(shapes, return_index=True)
    azimuth, _, metres = _GEOD.inv(lon0[owner], lat0[owner], xy[:, 0], xy[:, 1])
    azimuth = np.radians(azimuth)
    flat = np.column_stack([metres * np.sin(azimuth), metres * np.cos(azimuth)])
    projected = shapely.transform(shapes, lambda _: flat)
    mid = shapely.get_coordinates(
        shapely.centroid(shapely.minimum_bounding_circle(projected))
    )
    heading = np.degrees(np.arctan2(mid[:, 0], mid[:, 1]))
    lon, lat, _ = _GEOD.fwd(lon0, lat0, heading, np.hypot(mid[:, 0], mid[:, 1]))
    _, _, reach = _GEOD.inv(lon[owner], lat[owner], xy[:, 0], xy[:, 1])
    farthest = np.full(len(shapes), -np.inf)
    np.maximum.at(farthest, owner, reach)
    return [
        Circle(
            float(x),
            float(y),
            _round_up(far * 1.001) if np.isfinite(far) else ROUND_UP_M,
        )
        for x, y, far in zip(lon, lat, farthest, strict=True)
    ]


def farthest_m(lon: float, lat: float, geometry: shapely.Geometry) -> float:
    """Geodesic distance from (*lon*, *lat*) to the farthest vertex, rounded up."""
    if shapely.get_num_coordinates(geometry) == 0:
        return ROUND_UP_M
    return _round_up(
        float(reach_m(geometry, np.array([lon]), np.array([lat]))[0]) * 1.001
    )


def governorate_circles(admin1: gpd.GeoDataFrame, names: Iterable[str]) -> dict:
    """The enclosing circle of each named reference governorate."""
    geometry = dict(zip(admin1["name"], admin1.geometry, strict=True))
    return {name: enclosing_circle(geometry[name]) for name in set(names) if name}


def country_radii(
    countries: gpd.GeoDataFrame, anchors: pd.DataFrame, cap_m: float
) -> pd.Series:
    """Radius around each anchor that holds its whole (reference) country.

    Parameters
    ----------
    countries
        The reference countries.
    anchors
        Columns ``lon``, ``lat`` (floats) and ``country`` (code).
    cap_m
        The largest radius the class allows; used where the country is not in
        the reference or is farther than that.

    Returns
    -------
    Float series aligned with *anchors*; computed once per distinct anchor.
    """
    geometry = dict(zip(countries["iso_a3"], countries.geometry, strict=True))
    radii = pd.Series(cap_m, index=anchors.index, dtype=float)
    for code, rows in anchors.groupby("country", sort=False).groups.items():
        if code not in geometry:
            continue
        if shapely.get_num_coordinates(geometry[code]) == 0:
            radii[rows] = min(ROUND_UP_M, cap_m)
            continue
        at = anchors.loc[rows]
        reach = reach_m(geometry[code], at["lon"].to_numpy(), at["lat"].to_numpy())
        rounded = np.ceil(reach * 1.001 / ROUND_UP_M) * ROUND_UP_M
        radii[rows] = np.minimum(rounded, cap_m)
    return radii


@dataclass(frozen=True)
class Placement:
    """Where imported events are drawn: class, anchor, radius, constraints."""

    klass: pd.Series
    lon: pd.Series
    lat: pd.Series
    radius: pd.Series
    candidates: pd.Series
    constraints: pd.Series
    location: pd.Series
    country: pd.Series


def place(
    klass: pd.Series,
    radius: pd.Series,
    lon: pd.Series,
    lat: pd.Series,
    country: pd.Series,
    admin1_ref: pd.Series,
    *,
    area_key: pd.Series,
    shapes: Mapping[str, shapely.Geometry],
    province: pd.Series,
    source: str,
) -> Placement:
    """Anchor, radius and constraints of imported events, honest to their class.

    Parameters
    ----------
    klass, radius
        The class and radius (metres) each source code gives; radius is NaN
        where it comes from an outline (provinces, countries).
    lon, lat
        The source's coordinates.
    country, admin1_ref
        Reference country code and admin-1 name ("" when not in the reference).
    area_key, shapes
        Each row's key of its admin-1 outline in *shapes* ("" when none).
    province
        Rows whose source code means "only the province is known". Those
        whose province is in the reference become P4: anchored at the centre
        of the smallest circle holding the governorate (the source's point,
        a stand-in such as the provincial capital, is kept as a candidate),
        constrained to the governorate. The others become P6 (country only,
        listed, not drawn): no smaller area can be stated honestly.
    source
        The dataset's name, for the candidate label.
    """
    countries = outline_countries()
    klass, radius = klass.copy(), radius.copy()
    drawn = province & (area_key != "")
    klass[drawn], klass[province & (area_key == "")] = "P4", "P6"
    anchor_lon, anchor_lat, candidates, location = _provinces(
        drawn, radius, lon, lat, (admin1_ref, area_key), shapes, source=source
    )
    _country_wide(radius, klass, lon, lat, country, countries)
    constraints = _constraints(klass, country, admin1_ref, countries)
    return Placement(
        klass,
        anchor_lon,
        anchor_lat,
        radius,
        candidates,
        constraints,
        location,
        country,
    )


def _country_wide(
    radius: pd.Series,
    klass: pd.Series,
    lon: pd.Series,
    lat: pd.Series,
    country: pd.Series,
    countries: gpd.GeoDataFrame,
) -> None:
    """Fill the radii that come from a country's outline (in place)."""
    wide = radius.isna()
    if wide.any():
        anchors = pd.DataFrame(
            {"lon": lon[wide], "lat": lat[wide], "country": country[wide]}
        )
        caps = klass[wide].map(lambda k: PRECISION_CLASSES[k].max_radius_m)
        # A country-only event names its country (``country:``): its radius
        # holds the whole country, however far it reaches (Russia, Canada...).
        named = klass[wide].map(AREA_WIDE_CLASSES).eq("country")
        caps[named & country[wide].isin(set(countries["iso_a3"]))] = MAX_RADIUS_M
        radius[wide] = np.minimum(
            country_radii(countries, anchors, float(caps.max())), caps
        )


def _constraints(
    klass: pd.Series,
    country: pd.Series,
    admin1_ref: pd.Series,
    countries: gpd.GeoDataFrame,
) -> pd.Series:
    """The areas an imported event is cut to: its country, and its admin-1."""
    in_reference = country.isin(set(countries["iso_a3"]))
    country_constraint = ("country:" + country).where(in_reference, "")
    constraints = pd.Series("", index=klass.index)
    area = klass.isin(("P3", "P4", "P5", "P6"))
    constraints[area] = country_constraint[area]
    with_admin1 = (klass.isin(("P3", "P4"))) & (admin1_ref != "")
    constraints[with_admin1] = (
        constraints[with_admin1] + "; admin1:" + admin1_ref[with_admin1]
    ).str.lstrip("; ")
    return constraints


def _provinces(
    drawn: pd.Series,
    radius: pd.Series,
    lon: pd.Series,
    lat: pd.Series,
    names: tuple[pd.Series, pd.Series],
    shapes: Mapping[str, shapely.Geometry],
    *,
    source: str,
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Anchor each *drawn* province at its circle's centre (in place on *radius*).

    Returns
    -------
    Anchor longitudes and latitudes, candidates (the source's point, kept)
    and location text, aligned with *drawn*.
    """
    admin1_ref, area_key = names
    anchor_lon, anchor_lat = lon.copy(), lat.copy()
    candidates = pd.Series("", index=drawn.index)
    location = pd.Series("", index=drawn.index)
    location[drawn] = "the centre of the " + admin1_ref[drawn] + " governorate"
    if not drawn.any():
        return anchor_lon, anchor_lat, candidates, location
    keys = area_key[drawn]
    distinct = sorted(set(keys))
    circles = dict(
        zip(distinct, enclosing_circles([shapes[k] for k in distinct]), strict=True)
    )
    anchor_lon[drawn] = keys.map(lambda n: circles[n].lon)
    anchor_lat[drawn] = keys.map(lambda n: circles[n].lat)
    # The circle must also hold the source's own point (kept as a candidate).
    _, _, to_source = _GEOD.inv(
        anchor_lon[drawn].to_numpy(),
        anchor_lat[drawn].to_numpy(),
        lon[drawn].to_numpy(),
        lat[drawn].to_numpy(),
    )
    outline = keys.map(lambda n: circles[n].radius_m).to_numpy()
    radius[drawn] = np.ceil(np.maximum(outline, to_source * 1.001) / ROUND_UP_M)
    radius[drawn] *= ROUND_UP_M
    candidates[drawn] = (
        f"{source} point (a stand-in for the province) @ "
        + lat[drawn].round(5).astype(str)
        + ", "
        + lon[drawn].round(5).astype(str)
    )
    return anchor_lon, anchor_lat, candidates, location

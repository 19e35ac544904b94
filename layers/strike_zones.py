"""Layer ``strike_zones``: each 29 Dec 2019 strike site as the area sources allow."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84
from geo.errors import StrikeMapError
from geo.shapes import geodesic_disc, intersect_constraints
from layers.params import LayerInputs, LayerParams
from layers.sources.catalogue import EVENT_COLUMNS, parse_constraints

#: The catalogue group of the five strikes of 29 December 2019.
STRIKE_GROUP = "US-STRIKES-20191229"
#: The admin-1 outlines are generalized (NE v4.1.0) and stray up to 1.06 km
#: from the 10m country borders (Hausdorff distance, Iraq). A governorate
#: constraint is widened by this much so that it never trims a zone at an
#: international border; the country constraint decides there.
ADMIN1_TOLERANCE_M = 1_100
#: The columns of the catalogue each zone carries.
ZONE_COLUMNS = (
    *(c for c in EVENT_COLUMNS if c not in ("group_id", "source_ids")),
    "precision",
    "time_precision_text",
    "sources",
    "claims",
)


def _aeqd(lon: float, lat: float) -> CRS:
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    )


def _one(gdf: gpd.GeoDataFrame, column: str, value: str, what: str) -> gpd.GeoSeries:
    match = gdf[gdf[column] == value]
    if match.empty:
        raise StrikeMapError(
            f"constraint {what}:{value} names no feature of the {what} layer"
        )
    return match.geometry


def constraint_areas(
    event: Mapping[str, object],
    inputs: LayerInputs,
    deps: Mapping[str, gpd.GeoDataFrame],
    crs: CRS,
) -> dict[str, BaseGeometry]:
    """The named areas that constrain *event*'s location, in *crs*.

    The first is always the geodesic disc of ``uncertainty_m`` around the
    anchor point; the rest come from the event's ``constraints``.
    """
    radius_km = float(event["uncertainty_m"]) / 1000
    disc = geodesic_disc(
        float(event["lon"]), float(event["lat"]), float(event["uncertainty_m"])
    )
    areas = {
        f"within {radius_km:g} km of {event['location']}": gpd.GeoSeries(
            [disc], crs=WGS84
        )
        .to_crs(crs)
        .iloc[0]
    }
    countries = inputs.reference.countries
    admin1 = inputs.reference.admin1
    for kind, value in parse_constraints(str(event["constraints"])):
        if kind == "country":
            geometry = _one(countries, "iso_a3", value, "country")
            label = str(countries.loc[geometry.index[0], "name"])
            name = f"inside {label} (Natural Earth 10m)"
        elif kind == "admin1":
            geometry = _one(admin1, "name", value, "admin1").to_crs(crs)
            geometry = geometry.buffer(ADMIN1_TOLERANCE_M, quad_segs=8)
            name = (
                f"inside {value} governorate (Natural Earth admin-1, within "
                f"{ADMIN1_TOLERANCE_M / 1000:g} km of its generalized outline)"
            )
        elif kind == "valley":
            geometry = deps["euphrates_valley"].geometry
            width = float(deps["euphrates_valley"]["half_width_km"].iloc[0])
            name = f"in the Euphrates River Valley (river +/- {width:g} km)"
        else:
            geometry = deps["border_corridor"].geometry
            width = float(deps["border_corridor"]["half_width_km"].iloc[0])
            name = f"in the Iraq-Syria border corridor (border +/- {width:g} km)"
        areas[name] = geometry.to_crs(crs).union_all()
    return areas


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """One zone per strike site: its uncertainty disc cut by its constraints.

    Each zone is computed in an azimuthal equidistant CRS centred on its
    anchor, so the disc is true to the ellipsoid. No point is drawn for these
    sites: the zone is the claim.

    Returns
    -------
    Polygons (EPSG:4326) with the catalogue fields, ``derivation`` and ``area_km2``.

    Raises
    ------
    ContradictoryConstraintsError
        If a site's constraints do not overlap.
    """
    events = deps["events"]
    strikes = events[events["group_id"] == STRIKE_GROUP]
    rows, geometries = [], []
    for _, event in strikes.iterrows():
        crs = _aeqd(float(event["lon"]), float(event["lat"]))
        zone = intersect_constraints(
            constraint_areas(event, inputs, deps, crs), subject=str(event["event_id"])
        )
        record = {column: event[column] for column in ZONE_COLUMNS}
        record["derivation"] = zone.derivation
        record["area_km2"] = round(zone.geometry.area / 1e6, 1)
        rows.append(record)
        geometries.append(gpd.GeoSeries([zone.geometry], crs=crs).to_crs(WGS84).iloc[0])
    columns = [*ZONE_COLUMNS, "derivation", "area_km2"]
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geometries, crs=WGS84)

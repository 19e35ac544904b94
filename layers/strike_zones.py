"""Layer ``strike_zones``: each 29 Dec 2019 strike site as the area sources allow."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd

from geo.crs import WGS84
from geo.shapes import geodesic_area_km2, intersect_constraints
from layers.catalogue.model import EVENT_COLUMNS
from layers.constraints import constraint_areas
from layers.events import describe_precision
from layers.params import LayerInputs, LayerParams

#: The catalogue group of the five strikes of 29 December 2019.
STRIKE_GROUP = "US-STRIKES-20191229"
#: The columns of the catalogue each zone carries.
ZONE_COLUMNS = (
    *(c for c in EVENT_COLUMNS if c not in ("group_id",)),
    "precision",
    "time_precision_text",
    "sources",
    "claims",
)


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """One zone per strike site: its uncertainty disc cut by its constraints.

    The disc is geodesic (true to the ellipsoid) and every constraint is
    intersected in longitude/latitude, as published, so the zone lies inside
    each of them. No point is drawn for these sites: the zone is the claim.

    Returns
    -------
    Polygons (EPSG:4326) with the catalogue fields, ``derivation`` and ``area_km2``.

    Raises
    ------
    ContradictoryConstraintsError
        If a site's constraints do not overlap.
    """
    events = describe_precision(inputs.catalogue.events)
    strikes = events[events["group_id"] == STRIKE_GROUP]
    rows, geometries = [], []
    for _, event in strikes.iterrows():
        zone = intersect_constraints(
            constraint_areas(event, inputs, deps), subject=str(event["event_id"])
        )
        record = {column: event[column] for column in ZONE_COLUMNS}
        record["derivation"] = zone.derivation
        record["area_km2"] = round(geodesic_area_km2(zone.geometry), 1)
        rows.append(record)
        geometries.append(zone.geometry)
    columns = [*ZONE_COLUMNS, "derivation", "area_km2"]
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geometries, crs=WGS84)

"""Layer ``places``: GeoNames towns that name the map when no basemap is loaded."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from geo.shapes import cell_points
from layers.catalogue.world import shipped_world
from layers.params import LayerInputs, LayerParams
from layers.provenance import REFERENCE_SOURCES, with_provenance

#: Towns of at least this population are labelled...
LABEL_MIN_POPULATION = 1_000_000
#: ...plus the towns the reporting names along the Euphrates and at the bases
#: (GeoNames ids: Abu Kamal, Husaybah, Al-Mayadin, Hajin, Anah, Rawah,
#: Haditha, Hit, Deir ez-Zor, Ar Rutbah, Kirkuk, Erbil).
NAMED_PLACES = (
    174448,
    92138,
    173480,
    174506,
    6765385,
    92004,
    96309,
    95788,
    170794,
    98677,
    94787,
    95446,
)
#: GeoNames names that would mislead as labels. GeoNames' "Al Qā'im" point is
#: the border town of Husaybah, 14 km west of al-Qa'im town (en-Wikipedia).
LABELS = {92138: "Husaybah (GeoNames: Al Qā’im)"}
#: A place closer than this to a more populous labelled place is not labelled
#: (GeoNames lists Beirut twice: the city and Ra's Bayrut).
MIN_LABEL_SPACING_M = 10_000
#: Around events beyond the regional data, world towns are labelled: those
#: of at least ``WORLD_TOWN_MIN_POPULATION`` within ``WORLD_TOWN_MARGIN_DEG``
#: of an event, and the nearest town of each event within
#: ``EVENT_TOWN_DEG``; at most ``MAX_WORLD_TOWNS``, most populous first.
WORLD_TOWN_MIN_POPULATION = 100_000
WORLD_TOWN_MARGIN_DEG = 1.5
EVENT_TOWN_DEG = 0.3
MAX_WORLD_TOWNS = 400
_GEOD = Geod(ellps="WGS84")


def _spaced(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    ordered = places.sort_values(["population", "geonameid"], ascending=[False, True])
    lon, lat = ordered.geometry.x.to_numpy(), ordered.geometry.y.to_numpy()
    keep: list[int] = []
    for i in range(len(ordered)):
        if keep:
            _, _, dist = _GEOD.inv(
                np.full(len(keep), lon[i]),
                np.full(len(keep), lat[i]),
                lon[keep],
                lat[keep],
            )
            if (dist < MIN_LABEL_SPACING_M).any():
                continue
        keep.append(i)
    return ordered.iloc[sorted(keep, key=lambda k: ordered.index[k])]


def town_radius_m(population: int) -> float:
    """Nominal radius of a town around its GeoNames point, from its population.

    1 km per square root of ten thousand people, at least 2 km, rounded to
    100 m: Abu Kamal (about 50,000) 2.2 km, Kirkuk (about 600,000) 7.7 km,
    Baghdad (about 5.7 million) 23.9 km.
    """
    return float(round(max(2_000.0, 1_000.0 * (population / 10_000) ** 0.5), -2))


def world_towns(inputs: LayerInputs) -> gpd.GeoDataFrame:
    """World towns around the events the regional data does not cover.

    Empty for the shipped catalogue. Each event beyond the region brings its
    nearest GeoNames place (of 1,000+ people) within ``EVENT_TOWN_DEG``, and
    the towns of ``WORLD_TOWN_MIN_POPULATION``+ within
    ``WORLD_TOWN_MARGIN_DEG``; the regional places are not repeated.
    """
    world = shipped_world().places
    outside = inputs.beyond_region()
    if not outside.any():
        return world.iloc[:0]
    events = inputs.catalogue.events
    # Each distinct position once (an export repeats a town's position for
    # every event there).
    positions = np.unique(
        np.column_stack(
            [
                events["lon"].to_numpy(float)[outside],
                events["lat"].to_numpy(float)[outside],
            ]
        ),
        axis=0,
    )
    tree = shapely.STRtree(world.geometry.values)
    _, nearest = tree.query_nearest(
        shapely.points(positions), max_distance=EVENT_TOWN_DEG
    )
    # The cities around them: only cities in the tree, and one point per
    # 0.1-degree cell with the margin widened by its half-diagonal.
    cities = np.flatnonzero(world["population"].to_numpy() >= WORLD_TOWN_MIN_POPULATION)
    cells, offset = cell_points(positions)
    near = shapely.STRtree(world.geometry.values[cities]).query(
        cells, predicate="dwithin", distance=WORLD_TOWN_MARGIN_DEG + offset
    )[1]
    keep = np.zeros(len(world), dtype=bool)
    keep[np.concatenate([nearest, cities[near]])] = True
    keep &= ~world["geonameid"].isin(inputs.reference.places["geonameid"]).to_numpy()
    towns = world[keep].sort_values(
        ["population", "geonameid"], ascending=[False, True]
    )
    return towns.head(MAX_WORLD_TOWNS)[list(inputs.reference.places.columns)]


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Large cities and the towns the reporting names, as points (EPSG:4326).

    A catalogue beyond the regional data also has the towns around its own
    events (:func:`world_towns`).
    """
    places = inputs.reference.places
    keep = (places["population"] >= LABEL_MIN_POPULATION) | places["geonameid"].isin(
        NAMED_PLACES
    )
    chosen = places[keep]
    towns = world_towns(inputs)
    if len(towns):
        chosen = gpd.GeoDataFrame(
            pd.concat([chosen, towns.to_crs(places.crs)], ignore_index=True),
            crs=places.crs,
        )
    chosen = _spaced(chosen).reset_index(drop=True)
    chosen["name"] = [
        LABELS.get(int(gid), name)
        for gid, name in zip(chosen["geonameid"], chosen["name"], strict=True)
    ]
    return with_provenance(
        chosen,
        precision_class="P2",
        uncertainty_m=[town_radius_m(int(p)) for p in chosen["population"]],
        derivation=(
            "GeoNames point of a populated place: the town is around it; the "
            "radius grows with the population (1 km per square root of 10,000)."
        ),
        sources=[REFERENCE_SOURCES["places"]],
    )

"""The named areas an event's ``constraints`` cell puts it in, and its disc.

Shared by the layers that cut an event's disc of uncertainty by its
constraints (``events`` for every event, ``strike_zones`` for the 29 December
2019 sites), so that both name and draw each area the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84
from geo.errors import StrikeMapError
from geo.shapes import geodesic_disc
from layers.catalogue.check.constraints import parse_constraints
from layers.catalogue.reference import whole_countries
from layers.catalogue.towns import TOWNS_SOURCE, Town, find_town, parse_near
from layers.catalogue.world import shipped_world, world_area
from layers.params import LayerInputs


def _one(gdf: gpd.GeoDataFrame, column: str, value: str, what: str) -> gpd.GeoSeries:
    match = gdf[gdf[column] == value]
    if match.empty:
        raise StrikeMapError(
            f"constraint {what}:{value} names no feature of the {what} layer"
        )
    return match.geometry


@lru_cache(maxsize=4096)
def _world_area(kind: str, value: str, country: str) -> tuple[BaseGeometry, str]:
    """A country or an admin-1 area of *country* from the world reference."""
    shape = world_area(kind, value, country)
    if shape is None:
        raise StrikeMapError(f"constraint {kind}:{value} names no area of {country}")
    if kind == "country":
        countries = shipped_world().countries
        named = countries.loc[countries["iso_a3"] == value, "name"]
        return shape, f"inside {named.iloc[0]} (Natural Earth 10m)"
    return shape, f"inside {value} (Natural Earth admin-1, fitted to the 10m countries)"


def _near_disc(value: str, country: str) -> tuple[str, BaseGeometry]:
    """The geodesic disc a ``near:<town> <distance> km`` constraint names."""
    parsed = parse_near(value)
    town = find_town(*parsed, country) if parsed else None
    if not isinstance(town, Town):
        raise StrikeMapError(f"constraint near:{value} names no town of {country}")
    name = (
        f"within {town.km:g} km of {town.name} ({TOWNS_SOURCE} {town.geonameid}, "
        f"{town.lat:.4f}, {town.lon:.4f})"
    )
    return name, geodesic_disc(town.lon, town.lat, town.km * 1000.0)


def regional_areas(inputs: LayerInputs) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The regional countries and admin-1 areas, in longitude/latitude.

    The countries are those the region's box leaves whole (``whole_countries``).
    """
    return (
        whole_countries(inputs.reference.countries).to_crs(WGS84),
        inputs.reference.admin1.to_crs(WGS84),
    )


def constraint_regions(
    constraints: str,
    inputs: LayerInputs,
    deps: Mapping[str, gpd.GeoDataFrame],
    *,
    country: str = "",
    regional: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None = None,
) -> dict[str, BaseGeometry]:
    """The named areas a ``constraints`` cell names, in longitude/latitude.

    Every area is used as published, with no tolerance: the governorates
    share the countries' boundaries exactly (see ``data/README.md``). A
    country or admin-1 area the regional reference lacks comes from the world
    reference (an admin-1 area of the event's *country*); a ``near:`` town
    is one of the reference places of *country*, and its area the geodesic
    disc of the stated distance around it. *regional* is
    :func:`regional_areas` of *inputs*, for a caller that has it already.
    """
    areas: dict[str, BaseGeometry] = {}
    countries, admin1 = regional or regional_areas(inputs)
    for kind, value in parse_constraints(constraints):
        if kind == "near":
            name, shape = _near_disc(value, country)
            areas[name] = shape
            continue
        frame = countries if kind == "country" else admin1
        column = "iso_a3" if kind == "country" else "name"
        if kind in ("country", "admin1") and not (frame[column] == value).any():
            shape, name = _world_area(kind, value, country)
            areas[name] = shape
            continue
        if kind == "country":
            geometry = _one(countries, "iso_a3", value, "country")
            label = str(countries.loc[geometry.index[0], "name"])
            name = f"inside {label} (Natural Earth 10m)"
        elif kind == "admin1":
            geometry = _one(admin1, "name", value, "admin1")
            name = (
                f"inside {value} governorate (Natural Earth admin-1, fitted to the "
                "10m countries)"
            )
        elif kind == "valley":
            geometry = deps["euphrates_valley"].to_crs(WGS84).geometry
            width = float(deps["euphrates_valley"]["half_width_km"].iloc[0])
            name = f"in the Euphrates River Valley (river +/- {width:g} km)"
        else:
            geometry = deps["border_corridor"].to_crs(WGS84).geometry
            width = float(deps["border_corridor"]["half_width_km"].iloc[0])
            name = f"in the Iraq-Syria border corridor (border +/- {width:g} km)"
        areas[name] = shapely.union_all(geometry.values)
    return areas


def disc_name(radius_m: float, location: object) -> str:
    """How a derivation names the disc of an event's radius around its anchor."""
    return f"within {radius_m / 1000:g} km of {location}"


def constraint_areas(
    event: Mapping[str, object],
    inputs: LayerInputs,
    deps: Mapping[str, gpd.GeoDataFrame],
) -> dict[str, BaseGeometry]:
    """The named areas that constrain *event*'s location, in longitude/latitude.

    The first is always the geodesic disc of ``uncertainty_m`` around the
    anchor point; the rest come from the event's ``constraints``.
    """
    radius = float(str(event["uncertainty_m"]))
    disc = geodesic_disc(float(str(event["lon"])), float(str(event["lat"])), radius)
    areas: dict[str, BaseGeometry] = {disc_name(radius, event["location"]): disc}
    country = str(event.get("country", "") or "")
    areas.update(
        constraint_regions(str(event["constraints"]), inputs, deps, country=country)
    )
    return areas

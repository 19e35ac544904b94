"""Layer ``strike_areas``: the strike zones dissolved per country (headline view)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import geopandas as gpd
import shapely

from geo.crs import WGS84, aeqd_crs
from geo.shapes import geodesic_area_km2
from layers.params import LayerInputs, LayerParams


def _enclosing_radius_m(area: shapely.Geometry) -> float:
    # Smallest circle holding the area, measured in a projection centred on it
    # (true to well under 0.1 % at this size), rounded up to 100 m.
    centre = area.centroid
    area_proj = gpd.GeoSeries([area], crs=WGS84).to_crs(aeqd_crs(centre.x, centre.y))
    return float(
        math.ceil(shapely.minimum_bounding_radius(area_proj.iloc[0]) / 100) * 100
    )


def _sources(groups: list[list[dict]]) -> list[dict]:
    seen: dict[str, dict] = {}
    for records in groups:
        for record in records:
            seen.setdefault(record["id"], dict(record))
    return list(seen.values())


def dissolve_zones(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dissolve *zones* per country, counting the sites in each.

    Returns
    -------
    One polygon per country (EPSG:4326), with ``site_count``, ``event_ids``,
    the coarsest ``precision_class``, the enclosing radius, the area, the
    derivation and every source of its zones.
    """
    zones_wgs84 = zones.to_crs(WGS84)
    rows, geometries = [], []
    for country, group in zones_wgs84.groupby("country", sort=True):
        area = shapely.union_all(group.geometry.values)
        rows.append(
            {
                "country": country,
                "site_count": len(group),
                "event_ids": "; ".join(group["event_id"]),
                "precision_class": max(group["precision_class"]),
                "uncertainty_m": _enclosing_radius_m(area),
                "area_km2": round(geodesic_area_km2(area), 1),
                "derivation": (
                    f"Union of the zones of {len(group)} reported strike site(s) in "
                    f"{country} ({', '.join(group['event_id'])}); the sites lie "
                    "somewhere inside, not necessarily apart."
                ),
                "sources": _sources(list(group["sources"])),
            }
        )
        geometries.append(area)
    columns = [
        "country",
        "site_count",
        "event_ids",
        "precision_class",
        "uncertainty_m",
        "area_km2",
        "derivation",
        "sources",
    ]
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geometries, crs=WGS84)


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """The ``strike_zones`` layer dissolved per country."""
    return dissolve_zones(deps["strike_zones"])

"""Layer ``strike_areas``: the strike zones dissolved per country (headline view)."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import shapely

from geo.crs import WGS84
from layers.params import REGION_CRS, LayerInputs, LayerParams


def dissolve_zones(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dissolve *zones* per country, counting the sites in each.

    Returns
    -------
    One polygon per country (EPSG:4326), with ``site_count``, ``event_ids``,
    the coarsest ``precision_class`` and the area.
    """
    zones_proj = zones.to_crs(REGION_CRS)
    rows, geometries = [], []
    for country, group in zones_proj.groupby("country", sort=True):
        area = shapely.union_all(group.geometry.values)
        rows.append(
            {
                "country": country,
                "site_count": len(group),
                "event_ids": "; ".join(group["event_id"]),
                "precision_class": max(group["precision_class"]),
                "uncertainty_m": float(group["uncertainty_m"].max()),
                "area_km2": round(area.area / 1e6, 1),
                "derivation": (
                    f"Union of the zones of {len(group)} reported strike site(s) in "
                    f"{country}; the sites lie somewhere inside, not necessarily apart."
                ),
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
    ]
    gdf_proj = gpd.GeoDataFrame(
        rows, columns=columns, geometry=geometries, crs=REGION_CRS
    )
    return gdf_proj.to_crs(WGS84)


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """The ``strike_zones`` layer dissolved per country."""
    return dissolve_zones(deps["strike_zones"])

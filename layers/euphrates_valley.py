"""Layer ``euphrates_valley``: the river +/- W km in Dayr Az Zawr and Al-Anbar."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import shapely

from geo.crs import WGS84
from layers.params import REGION_CRS, LayerInputs, LayerParams

#: The governorates the valley is limited to: south-east Syria and western Iraq.
VALLEY_GOVERNORATES = ("Dayr Az Zawr", "Al-Anbar")


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """The Euphrates valley as a corridor of ``params.valley_half_width_km``.

    The GSHHG centreline is buffered in a metric CRS centred on the border and
    cut to the Dayr Az Zawr and Al-Anbar governorates.

    Returns
    -------
    One polygon feature (EPSG:4326) with its width, area and derivation.
    """
    width_m = params.valley_half_width_km * 1000
    river = inputs.reference.euphrates.to_crs(REGION_CRS)
    admin1 = inputs.reference.admin1
    governorates = admin1[admin1["name"].isin(VALLEY_GOVERNORATES)].to_crs(REGION_CRS)
    corridor = shapely.buffer(shapely.union_all(river.geometry.values), width_m)
    valley = shapely.intersection(
        corridor, shapely.union_all(governorates.geometry.values)
    )
    derivation = (
        f"GSHHG Euphrates centreline buffered by {params.valley_half_width_km:g} km "
        f"on each side, limited to the {' and '.join(VALLEY_GOVERNORATES)} "
        "governorates (Natural Earth admin-1)."
    )
    gdf_proj = gpd.GeoDataFrame(
        {
            "name": ["Euphrates River Valley"],
            "half_width_km": [params.valley_half_width_km],
            "area_km2": [round(valley.area / 1e6, 1)],
            "derivation": [derivation],
        },
        geometry=[valley],
        crs=REGION_CRS,
    )
    return gdf_proj.to_crs(WGS84)

"""Layer ``admin1``: the governorates of Iraq and Syria."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd

from layers.params import LayerInputs, LayerParams


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Governorate polygons of Iraq and Syria (EPSG:4326)."""
    return inputs.reference.admin1.copy()

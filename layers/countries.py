"""Layer ``countries``: Natural Earth 10m country polygons of the region."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd

from layers.params import LayerInputs, LayerParams


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Country polygons clipped to the area of interest (EPSG:4326)."""
    return inputs.reference.countries.copy()

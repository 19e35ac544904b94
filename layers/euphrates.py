"""Layer ``euphrates``: the Euphrates centreline from GSHHG full resolution."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd

from layers.params import LayerInputs, LayerParams


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """The river as one MultiLineString (EPSG:4326)."""
    return inputs.reference.euphrates.copy()

"""Layer ``countries``: Natural Earth 10m country polygons of the region."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd

from layers.params import LayerInputs, LayerParams
from layers.provenance import (
    REFERENCE_CLASS,
    REFERENCE_SOURCES,
    REFERENCE_UNCERTAINTY_M,
    with_provenance,
)


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Country polygons clipped to the area of interest (EPSG:4326)."""
    return with_provenance(
        inputs.reference.countries,
        precision_class=REFERENCE_CLASS,
        uncertainty_m=REFERENCE_UNCERTAINTY_M["countries"],
        derivation="Natural Earth 1:10m country polygon, clipped to 34-60E, 23-38N.",
        sources=[REFERENCE_SOURCES["countries"]],
    )

"""Layer ``euphrates``: the Euphrates centreline from GSHHG full resolution."""

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
    """The river as one MultiLineString (EPSG:4326)."""
    return with_provenance(
        inputs.reference.euphrates,
        precision_class=REFERENCE_CLASS,
        uncertainty_m=REFERENCE_UNCERTAINTY_M["euphrates"],
        derivation=(
            "GSHHG WDBII river lines picked by nearness to the Euphrates' course "
            "and merged; gaps where the river crosses lakes."
        ),
        sources=[REFERENCE_SOURCES["euphrates"]],
    )

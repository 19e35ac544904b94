"""Layer ``admin1``: the governorates of Iraq and Syria."""

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
    """Governorate polygons of Iraq and Syria (EPSG:4326)."""
    return with_provenance(
        inputs.reference.admin1,
        precision_class=REFERENCE_CLASS,
        uncertainty_m=REFERENCE_UNCERTAINTY_M["admin1"],
        derivation=(
            "Natural Earth admin-1 (v4.1.0) governorate, fitted to the 10m country "
            "polygons: clipped to its country, with the country's uncovered slivers "
            "given to the nearest governorate."
        ),
        sources=[REFERENCE_SOURCES["admin1"], REFERENCE_SOURCES["countries"]],
    )

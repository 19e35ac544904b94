"""Layer ``places``: GeoNames towns that name the map when no basemap is loaded."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd

from layers.params import LayerInputs, LayerParams

#: Towns of at least this population are labelled...
LABEL_MIN_POPULATION = 1_000_000
#: ...plus the towns the reporting names along the Euphrates and at the bases
#: (GeoNames ids: Abu Kamal, Al Qa'im/Husaybah, Al-Mayadin, Hajin, Anah, Rawah,
#: Haditha, Hit, Deir ez-Zor, Ar Rutbah, Kirkuk, Erbil).
NAMED_PLACES = (
    174448,
    92138,
    173480,
    174506,
    6765385,
    92004,
    96309,
    95788,
    170794,
    98677,
    94787,
    95446,
)


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Large cities and the towns the reporting names, as points (EPSG:4326)."""
    places = inputs.reference.places
    keep = (places["population"] >= LABEL_MIN_POPULATION) | places["geonameid"].isin(
        NAMED_PLACES
    )
    return places[keep].reset_index(drop=True)

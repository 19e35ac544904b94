"""Layer ``border_crossings``: Iraq-Syria border crossings, with their uncertainty."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd

from layers.params import LayerInputs, LayerParams

#: The catalogue ``target_kind`` that marks a border crossing.
CROSSING_KIND = "border crossing"


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Events whose target is a border crossing, shaped as in ``events`` (EPSG:4326).

    A crossing whose position is known to its radius is a point; one whose
    position is only derived from prose is its uncertainty disc.
    """
    events = deps["events"]
    crossings = events[events["target_kind"] == CROSSING_KIND]
    crossings = crossings.rename(columns={"target": "crossing"})
    return crossings.reset_index(drop=True)

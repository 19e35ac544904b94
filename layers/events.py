"""Layer ``events``: every catalogue event as a point at its best estimate."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd

from layers.params import LayerInputs, LayerParams
from layers.sources.catalogue import PRECISION_CLASSES, TIME_PRECISION


def describe_precision(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``precision`` and ``time_precision_text``, the codes in words (new frame)."""
    out = frame.copy()
    out["precision"] = [
        f"{klass}: {PRECISION_CLASSES[klass][0]}" for klass in out["precision_class"]
    ]
    out["time_precision_text"] = [TIME_PRECISION[int(t)] for t in out["time_precision"]]
    return out


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Every event as a point (EPSG:4326), with precision class and uncertainty.

    The point is the best estimate, not the site: ``uncertainty_m`` is the
    radius of the smallest circle around it that holds the whole location.
    """
    return describe_precision(inputs.catalogue.events)

"""Synthetic events layers of any size, for the map benchmarks (deterministic).

The frame has the columns the map draws from (``event_id``, ``title``,
``date_start``, ``sub_event_type``, ``precision_class``, ``uncertainty_m``,
``lon``, ``lat`` ...) and points at the best estimate. Radii follow each
precision class's range; 80 % fall over Iraq and Syria, 20 % over the Gulf.
When the reader's ``benchmarks/make_catalogue.py`` is in the tree, prefer it for
whole catalogues; this module only needs to feed the map.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from benchmarks.make_catalogue import CLASSES
from layers.map.style import EVENT_COLOURS

#: (west, south, east, north, share)
BOXES = ((38.8, 29.1, 48.5, 37.3, 0.8), (48.0, 24.0, 58.0, 28.0, 0.2))


def synthetic_events(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """*n* events with the events layer's drawing columns, in EPSG:4326."""
    rng = np.random.default_rng(seed)
    box = rng.choice(len(BOXES), size=n, p=[b[4] for b in BOXES])
    west, south, east, north = (np.array([b[i] for b in BOXES])[box] for i in range(4))
    lon = rng.uniform(west, east)
    lat = rng.uniform(south, north)
    codes = list(CLASSES)
    klass = rng.choice(codes, size=n, p=[CLASSES[c][0] for c in codes])
    bounds = pd.DataFrame(CLASSES, index=["share", "low", "high"]).T
    low = bounds["low"].reindex(klass).to_numpy()
    high = bounds["high"].reindex(klass).to_numpy()
    radius = np.round(np.exp(rng.uniform(np.log(low), np.log(high))), -1)
    types = np.array(list(EVENT_COLOURS))
    sub_type = types[rng.integers(0, len(types), n)]
    start = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 730, n), "D")
    ids = pd.Series(np.arange(n)).map("SYN-{:07d}".format)
    return gpd.GeoDataFrame(
        {
            "event_id": ids,
            "title": "Synthetic event " + ids.str[4:] + " near a town",
            "date_start": start,
            "date_end": start,
            "event_type": "Explosions/Remote violence",
            "sub_event_type": sub_type,
            "country": np.where(box == 0, "IRQ", "SAU"),
            "precision_class": klass,
            "uncertainty_m": radius,
            "confidence": "fair",
            "lon": lon,
            "lat": lat,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )

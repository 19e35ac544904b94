"""Find a place or an event: one type-ahead box; picking one moves the map there.

The box is a ``selectbox`` (Streamlit filters its options as you type), whose
options are the places, each labelled with all its names so that any of them
(in any script) finds it, and the events (id, title, location, date).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import WGS84
from geo.errors import StrikeMapError
from layers.catalogue.world import shipped_world
from layers.params import LayerInputs

#: Session keys: the box, and the view it asks the map for.
FIND_KEY = "find"
TARGET_KEY = "_find_target"
PLACE_ZOOM = 11
#: Columns that hold a place's other names, ";"-separated (any script).
NAME_COLUMNS = (
    "name",
    "name_ar",
    "alternate_names",
    "alternate_names_ar",
    "world_names",
)
LABEL = "Find a place or event"
PLACEHOLDER = "Type a town (any spelling or script), an event id or title"


@dataclass(frozen=True)
class Target:
    """Where picking an option takes the map, and the event it opens (if any)."""

    lat: float
    lon: float
    zoom: int
    event_id: str = ""


def place_names(places: gpd.GeoDataFrame) -> pd.Series:
    """Every name of each place, distinct and in order: name first, then the others.

    The one reader of place names: it takes whichever of ``NAME_COLUMNS`` the
    layer has, so more names (other scripts, more places) need no change here.
    """
    columns = [c for c in NAME_COLUMNS if c in places.columns]
    if not columns:
        return pd.Series([[] for _ in range(len(places))], index=places.index)
    parts = pd.concat(
        [places[c].fillna("").astype(str).str.split(";") for c in columns], axis=1
    )
    long = parts.stack().explode().str.strip()
    long = long[long != ""].droplevel(1)
    distinct = long[~pd.MultiIndex.from_arrays([long.index, long]).duplicated()]
    names = distinct.groupby(level=0, sort=False).agg(list)
    return names.reindex(places.index).apply(lambda v: v if isinstance(v, list) else [])


def with_world_names(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """*places* with the world GeoNames names of each (any script) as ``world_names``.

    Matched on ``geonameid``; places the world file lacks keep their own names.
    """
    if "geonameid" not in places.columns:
        return places
    try:
        world = shipped_world().places
    except StrikeMapError:  # no world file: the regional names only
        return places
    names = world.set_index("geonameid")["alternate_names"]
    names = names[~names.index.duplicated()]
    out = places.copy()
    out["world_names"] = out["geonameid"].map(names)
    return out


def _zoom_for(radius_m: np.ndarray) -> np.ndarray:
    """A zoom at which a disc of *radius_m* fills about a third of the map."""
    radius = np.maximum(np.nan_to_num(radius_m, nan=5_000.0), 100.0)
    return np.clip(np.floor(np.log2(40_000_000 / (radius * 6))), 4, 15).astype(int)


#: At most this many events are listed (the first of the shown ones): a box
#: of a million options would not load.
MAX_EVENTS = 5_000


def find_options(places: gpd.GeoDataFrame, events: gpd.GeoDataFrame) -> pd.DataFrame:
    """The box's options, indexed by label: ``lat``, ``lon``, ``zoom``, ``event_id``.

    Places first (each labelled with all its names), then the events.
    """
    frames = []
    if len(places):
        points = places.to_crs(WGS84).geometry.representative_point()
        country = places.get("country_code", pd.Series("", places.index)).fillna("")
        label = place_names(places).str.join(" · ") + " (place, " + country + ")"
        frames.append(
            pd.DataFrame(
                {"lat": points.y, "lon": points.x, "zoom": PLACE_ZOOM, "event_id": ""}
            ).set_index(label.to_numpy())
        )
    events = events.iloc[:MAX_EVENTS]
    if len(events):
        dates = pd.to_datetime(events["date_start"]).dt.strftime("%Y-%m-%d")
        label = (
            events["event_id"].astype(str)
            + ": "
            + events["title"].astype(str)
            + " — "
            + events["location"].fillna("").astype(str)
            + " ("
            + dates
            + ")"
        )
        frames.append(
            pd.DataFrame(
                {
                    "lat": events["lat"].to_numpy(dtype=float),
                    "lon": events["lon"].to_numpy(dtype=float),
                    "zoom": _zoom_for(events["uncertainty_m"].to_numpy(dtype=float)),
                    "event_id": events["event_id"].astype(str).to_numpy(),
                },
                index=label.to_numpy(),
            )
        )
    if not frames:
        return pd.DataFrame(columns=["lat", "lon", "zoom", "event_id"])
    out = pd.concat(frames)
    out = out[np.isfinite(out["lat"]) & np.isfinite(out["lon"])]
    return out[~out.index.duplicated()]


def picked(
    state: MutableMapping[str, Any], options: pd.DataFrame, card_key: str
) -> None:
    """The box's callback: remember where to move the map, open an event's card."""
    label = state.get(FIND_KEY)
    if label not in options.index:
        return
    row = options.loc[label]
    target = Target(
        float(row["lat"]), float(row["lon"]), int(row["zoom"]), row["event_id"]
    )
    state[TARGET_KEY] = target
    if target.event_id:
        state[card_key] = target.event_id


def find_widget(
    inputs: LayerInputs, state: MutableMapping[str, Any], card_key: str
) -> tuple[str, dict[str, Any]]:
    """The box as (element, keyword arguments), like ``view.sidebar_widgets``.

    Its options are the reference places and the catalogue events of *inputs*.
    """
    options = find_options(
        with_world_names(inputs.reference.places), inputs.catalogue.events
    )
    return (
        "selectbox",
        {
            "label": LABEL,
            "options": options.index.tolist(),
            "index": None,
            "placeholder": PLACEHOLDER,
            "key": FIND_KEY,
            "on_change": picked,
            "args": (state, options, card_key),
            "help": "Matches any part of a name, in Latin or Arabic script.",
        },
    )


def map_target(state: MutableMapping[str, Any]) -> dict[str, Any]:
    """``center`` and ``zoom`` for the map when a find asked for them, else nothing."""
    target = state.get(TARGET_KEY)
    if not isinstance(target, Target):
        return {}
    return {"center": (target.lat, target.lon), "zoom": target.zoom}

"""The map's call on each run: what the page draws, and whether it must rerun.

The pure half of the page's map (``dashboard.py`` keeps only the Streamlit
calls): read what the map reported (a click, the view), pick the event a
click opened, build the frame's payload on the shared layers and the shell.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, replace
from typing import Any

import folium
import geopandas as gpd

from layers.map import build as map_build
from layers.map import channel, refs
from layers.page import playback_controls as controls
from layers.page import text, view
from layers.page.find import map_target
from layers.page.view import Options, ViewState
from layers.registry import LAYER_NAMES


@dataclass(frozen=True)
class MapCall:
    """One run's map: ``rerun`` first; else draw ``shell`` with ``layer``.

    Attributes
    ----------
    rerun
        True when the page must run again before drawing (the playback timer
        stopped at the last frame, or a click during playback opened a card).
    shell, layer, widget
        The map shell, its data layer and the ``st_folium`` keywords.
    status
        A line of Markdown under the map (empty: none).
    state
        The view state with the map's own view and what it reported.
    """

    rerun: bool
    state: ViewState
    shell: folium.Map | None = None
    layer: map_build.DataLayer | None = None
    widget: Mapping[str, Any] | None = None
    status: str = ""


def map_call(
    session: MutableMapping[str, Any],
    layers: Mapping[str, gpd.GeoDataFrame],
    shown: Mapping[str, gpd.GeoDataFrame],
    state: ViewState,
    options: Options,
    shared: refs.Shared,
    context_urls: dict[str, dict[str, str]],
) -> MapCall:
    """The map of *state*'s frame, fed only what changed since the last run.

    Parameters
    ----------
    session
        This session's state (the map's report, the last pick, playback).
    layers, shown
        All layers, and those the filters keep.
    state
        The view state.
    options
        What the catalogue offers: the ids a click may name, the view buttons.
    shared
        The layers that depend only on their settings, sent once.
    context_urls
        The context layers' static files.
    """
    key = view.WIDGET_KEYS["event"]
    drawn, frame, keys = controls.frame_view(session, layers, dict(shown), state)
    if keys.pop("playing") != session[controls.RUNNING]:  # the timer stopped
        return MapCall(rerun=True, state=state)
    value = (session.get("map") or {}).get(map_build.CHANNEL_KEY)
    report = channel.read_report(
        value, layer_names=LAYER_NAMES, event_ids=options.event_ids
    )
    if report is not None and (
        pick := channel.new_pick(report, session.get("_last_pick"))
    ):
        session.update({"_last_pick": (pick, report.seq), key: pick})
        if not session[controls.IN_MAIN]:  # a rerun of the map alone: open the card
            return MapCall(rerun=True, state=state)
    start = session["_start"]  # the shell must not change in a session
    payload = refs.view_payload(
        drawn,
        shared,
        view=channel.current_view(
            report, **view.map_start(start), start=options.views[0][1]
        ),
        selected=session.get(key, ""),
    )
    payload = controls.map_frame(payload, frame)
    shell = map_build.build_shell(
        context_urls,
        basemap=state.basemap,
        hidden=start.hidden,
        views=options.views,
        title=map_build.MAP_TITLE if options.home is None else map_build.OWN_MAP_TITLE,
    )
    return MapCall(
        rerun=False,
        state=view.with_map_report(replace(state, **keys), report),
        shell=shell,
        layer=map_build.DataLayer(payload),
        widget={**text.MAP_WIDGET, **view.map_centre(start), **map_target(session)},
        status=str(payload["status"] or ""),
    )

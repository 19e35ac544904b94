"""The timeline chart of events (Altair), coloured like the map.

Time is drawn the way space is: an event known to the day is a solid mark; one
known only to the week or the month is a light, outlined bar across the whole
span it may fall in, and its tooltip says so in words. Each event has its own
lane within its type, so the five strikes of 29 December 2019 are five marks.
A click on a mark selects it (:data:`TIMELINE_SELECTION`); the page reads the
choice with :func:`selected_event_id` and opens that event's card.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, MutableMapping
from functools import partial
from typing import Any

import altair as alt
import geopandas as gpd
import pandas as pd

from layers.catalogue.model import TIME_PRECISION
from layers.map.style import DEFAULT_EVENT_COLOUR, EVENT_COLOURS

#: Name of the chart's click selection (``selection_mode`` of ``st.altair_chart``).
TIMELINE_SELECTION = "event_pick"
#: Fill opacity of an event known to the day, and of one known less precisely.
EXACT_OPACITY, SPAN_OPACITY = 0.9, 0.18
#: Above this many events the timeline shows counts per week and type (one
#: lane per event would be taller than any screen); filter to see each one.
MAX_MARKS = 300


def _counts_chart(events: gpd.GeoDataFrame) -> alt.Chart:
    """Events per week and type, stacked: the timeline of a large selection."""
    week = events["date_start"].dt.to_period("W").dt.start_time
    counts = (
        pd.DataFrame({"week": week, "type": events["sub_event_type"].astype(str)})
        .groupby(["week", "type"], sort=True)
        .size()
        .rename("events")
        .reset_index()
    )
    types = sorted(set(counts["type"]))
    colours = [EVENT_COLOURS.get(t, DEFAULT_EVENT_COLOUR) for t in types]
    # The page listens to this selection; a week picks no single event.
    pick = alt.selection_point(
        name=TIMELINE_SELECTION, fields=["week"], on="click", empty=False
    )
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("week:T", title="Week (by start date)"),
            y=alt.Y("events:Q", title="Events", stack=True),
            color=alt.Color(
                "type:N",
                scale=alt.Scale(domain=types, range=colours),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("week:T", title="week of"),
                "type",
                alt.Tooltip("events:Q", title="events", format=","),
            ],
        )
        .add_params(pick)
        .properties(
            height=260,
            title=f"{len(events):,} events, counted per week: narrow the filters to "
            f"{MAX_MARKS} or fewer to see each event and its date precision",
        )
    )


def _frame(events: gpd.GeoDataFrame) -> pd.DataFrame:
    exact = events["time_precision"].astype(int) == 1
    return pd.DataFrame(
        {
            "event_id": events["event_id"].astype(str),
            "title": events["title"].astype(str),
            "type": events["sub_event_type"].astype(str),
            "start": events["date_start"],
            "end": events["date_end"] + pd.Timedelta(days=1),
            "when": [
                TIME_PRECISION[int(t)] for t in events["time_precision"].astype(int)
            ],
            "dated": ["to the day" if e else "span only" for e in exact],
            "precision": events["precision_class"].astype(str),
        }
    )


def timeline_chart(events: gpd.GeoDataFrame) -> alt.Chart:
    """Events over time: one mark per event, by type, spanning its dates.

    Parameters
    ----------
    events
        The (filtered) events layer.

    Returns
    -------
    An Altair chart with a click selection named :data:`TIMELINE_SELECTION`
    on ``event_id``; above :data:`MAX_MARKS` events, counts per week and type.
    """
    if len(events) > MAX_MARKS:
        return _counts_chart(events)
    frame = _frame(events)
    types = sorted(set(frame["type"]))
    colours = [EVENT_COLOURS.get(t, DEFAULT_EVENT_COLOUR) for t in types]
    pick = alt.selection_point(
        name=TIMELINE_SELECTION, fields=["event_id"], on="click", empty=False
    )
    colour = alt.Color(
        "type:N", scale=alt.Scale(domain=types, range=colours), legend=None
    )
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadius=2, strokeWidth=1.2)
        .encode(
            x=alt.X("start:T", title="Date"),
            x2="end:T",
            y=alt.Y("type:N", title=None),
            yOffset=alt.YOffset("event_id:N", sort=None),
            color=colour,
            stroke=colour,
            fillOpacity=alt.FillOpacity(
                "dated:N",
                scale=alt.Scale(
                    domain=["to the day", "span only"],
                    range=[EXACT_OPACITY, SPAN_OPACITY],
                ),
                legend=alt.Legend(title="Date known", orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "dated:N",
                scale=alt.Scale(
                    domain=["to the day", "span only"], range=[[1, 0], [4, 2]]
                ),
                legend=None,
            ),
            tooltip=[
                "event_id",
                "title",
                alt.Tooltip("start:T", title="from"),
                alt.Tooltip("end:T", title="until (exclusive)"),
                alt.Tooltip("when:N", title="date precision"),
                "precision",
            ],
        )
        .add_params(pick)
        .properties(height=40 + 16 * max(len(frame), 1))
    )


def selected_event_id(state: Mapping[str, Any] | None) -> str | None:
    """The event clicked on the timeline, from ``st.altair_chart``'s selection state.

    Parameters
    ----------
    state
        What ``st.altair_chart(..., on_select=..., key=...)`` returns or keeps
        in ``st.session_state[key]``: ``{"selection": {TIMELINE_SELECTION:
        [{"event_id": ...}]}}``.

    Returns
    -------
    The event id, or None when nothing is selected.
    """
    if not state:
        return None
    selection = state.get("selection") or {}
    picked = selection.get(TIMELINE_SELECTION) or []
    if not picked:
        return None
    event_id = picked[0].get("event_id")
    return str(event_id) if event_id else None


def open_card(state: MutableMapping[str, Any], card_key: str) -> None:
    """The timeline's callback: the clicked event's card opens (runs before the rerun).

    *state* is the session state, holding the chart's selection under ``"timeline"``.
    """
    if event_id := selected_event_id(state.get("timeline")):
        state[card_key] = event_id


#: The columns a timeline is drawn from (what its memo is keyed on).
_CHART_COLUMNS = (
    "event_id",
    "title",
    "sub_event_type",
    "date_start",
    "date_end",
    "time_precision",
    "precision_class",
)
_MEMO_SIZE = 32
_memo: dict[str, alt.Chart] = {}
_memo_lock = threading.Lock()


def memo_chart(events: gpd.GeoDataFrame) -> alt.Chart:
    """:func:`timeline_chart` of *events*, built once per distinct content.

    Building the Altair chart is most of a rerun's own time on a small
    catalogue; a filter changed back and forth, or the same filters in another
    session, reuse the chart. Keyed on a hash of the rows drawn, in order
    (vectorised).
    The chart is never mutated by its users (``st.altair_chart`` reads it). It
    is checked against the Vega-Lite schema once, when built, not on each
    rerun (the check is most of ``to_dict``'s time, and the spec is the same).
    """
    present = [c for c in _CHART_COLUMNS if c in events.columns]
    hashes = pd.util.hash_pandas_object(pd.DataFrame(events[present]), index=False)
    key = hashlib.blake2b(hashes.to_numpy().tobytes(), digest_size=16).hexdigest()
    with _memo_lock:
        chart = _memo.get(key)
    if chart is None:
        chart = _validated_once(timeline_chart(events))
        with _memo_lock:
            if len(_memo) >= _MEMO_SIZE:
                _memo.pop(next(iter(_memo)))
            _memo[key] = chart
    return chart


def _validated_once(chart: alt.Chart) -> alt.Chart:
    chart.to_dict()  # the schema check (raises on an invalid chart)
    unchecked = partial(type(chart).to_dict, chart, validate=False)
    # SchemaBase stores attributes as chart properties: set this one beside them.
    object.__setattr__(chart, "to_dict", unchecked)
    return chart

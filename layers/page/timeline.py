"""The timeline chart of events (Altair), coloured like the map."""

from __future__ import annotations

import altair as alt
import geopandas as gpd
import pandas as pd

from layers.map.style import DEFAULT_EVENT_COLOUR, EVENT_COLOURS


def timeline_chart(events: gpd.GeoDataFrame) -> alt.Chart:
    """Events over time: one mark per event, by type, spanning its dates.

    Parameters
    ----------
    events
        The (filtered) events layer.

    Returns
    -------
    An Altair chart.
    """
    frame = pd.DataFrame(
        {
            "event_id": events["event_id"].astype(str),
            "title": events["title"].astype(str),
            "type": events["sub_event_type"].astype(str),
            "start": events["date_start"],
            "end": events["date_end"] + pd.Timedelta(days=1),
            "precision": events["precision_class"].astype(str),
        }
    )
    types = sorted(set(frame["type"]))
    colours = [EVENT_COLOURS.get(t, DEFAULT_EVENT_COLOUR) for t in types]
    return (
        alt.Chart(frame)
        .mark_bar(height=14, cornerRadius=2)
        .encode(
            x=alt.X("start:T", title="Date"),
            x2="end:T",
            y=alt.Y("type:N", title=None),
            color=alt.Color(
                "type:N", scale=alt.Scale(domain=types, range=colours), legend=None
            ),
            tooltip=["event_id", "title", "start:T", "precision"],
        )
        .properties(height=40 + 28 * max(len(types), 1))
    )

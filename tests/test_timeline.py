"""The timeline chart: one bar per event, spanning its days, coloured like the map."""

from __future__ import annotations

import pandas as pd

from layers.map.style import EVENT_COLOURS
from layers.page.timeline import timeline_chart


def test_one_bar_per_event_spanning_its_whole_last_day(catalogue):
    events = catalogue.events
    chart = timeline_chart(events)
    data = chart.data
    assert list(data["event_id"]) == list(events["event_id"])
    month = data[data["event_id"] == "R-GZ-201911"].iloc[0]
    assert month["end"] - month["start"] == pd.Timedelta(days=30)  # all November
    spec = chart.to_dict()
    assert spec["encoding"]["x2"]["field"] == "end"


def test_colours_are_the_maps_and_the_tooltip_names_the_event(catalogue):
    spec = timeline_chart(catalogue.events).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    for kind, colour in zip(scale["domain"], scale["range"], strict=True):
        assert EVENT_COLOURS[kind] == colour
    fields = [t["field"] for t in spec["encoding"]["tooltip"]]
    assert {"event_id", "title", "precision"} <= set(fields)

"""The timeline: date uncertainty drawn like space uncertainty, one mark per event."""

from __future__ import annotations

import pandas as pd
import pytest

from layers.page.timeline import (
    EXACT_OPACITY,
    MAX_MARKS,
    SPAN_OPACITY,
    TIMELINE_SELECTION,
    selected_event_id,
    timeline_chart,
)


@pytest.fixture(scope="module")
def spec(layers):
    return timeline_chart(layers["events"]).to_dict()


def _rows(spec) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def test_every_event_has_its_own_mark(spec, layers):
    rows = _rows(spec)
    assert len(rows) == len(layers["events"])
    # The five strikes share a day and a type; each gets its own lane.
    assert spec["encoding"]["yOffset"]["field"] == "event_id"
    strikes = [r for r in rows if r["event_id"].startswith("S-")]
    assert len({r["event_id"] for r in strikes}) == 5


def test_month_only_dates_are_a_light_dashed_span_with_words(spec):
    rows = {r["event_id"]: r for r in _rows(spec)}
    month = rows["R-GZ-201911"]
    assert month["dated"] == "span only" and month["when"] == "month only"
    assert month["start"].startswith("2019-11-01") and month["end"].startswith(
        "2019-12-01"
    )
    assert rows["K1-20191227"]["dated"] == "to the day"
    opacity = spec["encoding"]["fillOpacity"]["scale"]
    assert dict(zip(opacity["domain"], opacity["range"], strict=True)) == {
        "to the day": EXACT_OPACITY,
        "span only": SPAN_OPACITY,
    }
    assert EXACT_OPACITY > 3 * SPAN_OPACITY
    dash = spec["encoding"]["strokeDash"]["scale"]["range"]
    assert dash[0] != dash[1]
    assert any(t.get("title") == "date precision" for t in spec["encoding"]["tooltip"])


def test_a_click_selects_an_event(spec):
    params = {p["name"]: p for p in spec["params"]}
    pick = params[TIMELINE_SELECTION]["select"]
    assert pick["type"] == "point" and pick["fields"] == ["event_id"]
    state = {"selection": {TIMELINE_SELECTION: [{"event_id": "S-IQ-2"}]}}
    assert selected_event_id(state) == "S-IQ-2"
    assert selected_event_id({"selection": {TIMELINE_SELECTION: []}}) is None
    assert selected_event_id(None) is None


def test_colours_are_the_maps(spec):
    from layers.map.style import EVENT_COLOURS

    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"]
    for kind, colour in zip(scale["domain"], scale["range"], strict=True):
        assert EVENT_COLOURS[kind] == colour


def test_a_large_selection_is_counted_per_week_not_drawn_event_by_event(layers):
    events = layers["events"]
    copies = -(-(MAX_MARKS + 1) // len(events))
    many = pd.concat([events] * copies, ignore_index=True)
    many["event_id"] = [f"E{i}" for i in range(len(many))]
    spec = timeline_chart(many).to_dict()
    rows = _rows(spec)
    # Every event is counted once, and far fewer marks than events are sent.
    assert sum(r["events"] for r in rows) == len(many)
    assert len(rows) < len(many) / 5
    assert f"{len(many):,} events" in spec["title"]
    assert TIMELINE_SELECTION in {p["name"] for p in spec["params"]}


def test_the_memo_gives_the_chart_of_the_events_it_is_given(layers):
    from layers.page.timeline import memo_chart

    events = layers["events"]
    first = memo_chart(events)
    assert memo_chart(events.copy()) is first  # same content: built once
    fewer = memo_chart(events.iloc[:5])
    assert fewer is not first
    assert fewer.to_dict() == timeline_chart(events.iloc[:5]).to_dict()
    changed = events.copy()
    changed.loc[changed.index[0], "title"] = "another title"
    assert memo_chart(changed) is not first

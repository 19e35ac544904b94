"""Time playback frames over the shipped catalogue's dates (no browser)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from layers import catalogue
from layers.page import playback
from layers.page.filters import frame_layers
from layers.page.playback import (
    BEFORE,
    CURRENT,
    LATER,
    SPANNING,
    Playback,
    Window,
    act,
    event_windows,
    roles,
    start_playback,
    window_of,
)
from layers.page.playback_controls import keys
from layers.page.view import default_state, options_for, parse_query


@pytest.fixture(scope="module")
def events():
    return catalogue.read_catalogue(catalogue.resolve_catalogue_path()).events


def _role(events, window, event_id):
    return roles(events, window)[(events["event_id"] == event_id).to_numpy()][0]


def test_weeks_run_monday_to_sunday_and_cover_the_catalogue(events):
    weeks = event_windows(events, "week")
    assert weeks[0] == Window(date(2019, 5, 6), date(2019, 5, 12))  # Fujairah
    assert Window(date(2019, 12, 23), date(2019, 12, 29)) in weeks  # the strikes
    assert weeks[-1].start <= date(2020, 1, 8) <= weeks[-1].end  # Ain al-Asad
    assert all(w.start.weekday() == 0 and (w.end - w.start).days == 6 for w in weeks)
    assert all(
        a.end.toordinal() + 1 == b.start.toordinal()
        for a, b in zip(weeks[:-1], weeks[1:], strict=True)
    )


def test_months_and_days_are_whole_calendar_spans(events):
    months = event_windows(events, "month")
    assert [m.start for m in months][:2] == [date(2019, 5, 1), date(2019, 6, 1)]
    assert window_of(date(2020, 2, 10), "month").end == date(2020, 2, 29)  # leap year
    assert (
        len(event_windows(events, "day"))
        == (date(2020, 1, 8) - date(2019, 5, 12)).days + 1
    )


def test_the_strike_week_shows_the_strikes_current_and_what_came_before_faded(events):
    week = Window(date(2019, 12, 23), date(2019, 12, 29))
    role = roles(events, week)
    assert _role(events, week, "S-IQ-1") == CURRENT
    assert _role(events, week, "K1-20191227") == CURRENT  # the K-1 attack
    assert _role(events, week, "ABQ-20190914") == BEFORE
    assert _role(events, week, "SOL-20200103") == LATER  # Soleimani: not yet
    assert int((role == CURRENT).sum()) == 7  # five strikes, K-1, Taji


def test_an_event_known_only_to_its_month_spans_every_frame_of_the_month(events):
    # R-GZ-201911: rockets "in November 2019" (time_precision 3).
    for day in (date(2019, 11, 1), date(2019, 11, 15), date(2019, 11, 30)):
        assert _role(events, window_of(day, "day"), "R-GZ-201911") == SPANNING
        assert _role(events, window_of(day, "week"), "R-GZ-201911") == SPANNING
    assert _role(events, window_of(date(2019, 10, 31), "day"), "R-GZ-201911") == LATER
    assert _role(events, window_of(date(2019, 12, 1), "day"), "R-GZ-201911") == BEFORE


def test_a_precise_event_over_two_days_is_current_on_both(events):
    for day in (date(2019, 12, 31), date(2020, 1, 1)):
        assert _role(events, window_of(day, "day"), "EMB-20191231") == CURRENT


def test_the_frame_payload_names_the_faded_and_spanning_events(events):
    window = window_of(date(2019, 11, 8), "week")
    shown = events[roles(events, window) != LATER]
    payload = playback.frame_payload(shown, window, "week")
    assert payload["window"] == ["2019-11-04", "2019-11-10"]
    assert payload["spanning"] == ["R-GZ-201911"]
    assert (
        "XING-20190930" in payload["faded"] and "R-QW-20191108" not in payload["faded"]
    )
    assert "1 event(s) in it" in payload["label"]


def test_the_frame_layers_drop_later_events_and_their_zones(events):
    from layers.catalogue.reference import read_reference
    from layers.params import LayerInputs, LayerParams
    from layers.registry import build_layers

    layers = build_layers(
        LayerInputs(
            read_reference(),
            catalogue.read_catalogue(catalogue.resolve_catalogue_path()),
        ),
        LayerParams(),
    )
    state = default_state(options_for(events))
    before = frame_layers(layers, state, window_of(date(2019, 12, 20), "week"))
    assert len(before["strike_zones"]) == 0 and len(before["strike_areas"]) == 0
    assert "SOL-20200103" not in set(before["events"]["event_id"])
    strike = frame_layers(layers, state, window_of(date(2019, 12, 29), "week"))
    assert len(strike["strike_zones"]) == 5


def test_controls_step_play_to_the_end_and_stop(events):
    count = len(event_windows(events, "week"))
    play = act(Playback(), "play", count)
    assert play == Playback(index=0, playing=True)
    for _ in range(count + 3):
        play = act(play, "tick", count)
    assert play.index == count - 1 and not play.playing
    assert act(play, "play", count).index == 0  # play again from the start
    assert act(play, "next", count).index == count - 1
    assert act(Playback(), "back", count).index == count - 2
    assert act(play, "all", count).index is None


def test_changing_the_step_keeps_the_day_shown(events):
    weeks = event_windows(events, "week")
    strike = weeks.index(window_of(date(2019, 12, 29), "week"))
    play = playback.set_step(Playback(index=strike), weeks, "month")
    months = event_windows(events, "month")
    assert months[play.index] == Window(date(2019, 12, 1), date(2019, 12, 31))


def test_a_link_opens_on_its_frame_and_bad_values_fall_back(events):
    options = options_for(events)
    weeks = event_windows(events, "week")
    state, notices = parse_query({"frame": "2019-12-23/2019-12-29"}, options)
    assert notices == [] and state.step == "week"
    play, notice = start_playback(weeks, text=state.frame, step=state.step, speed=1.0)
    assert weeks[play.index].text == "2019-12-23/2019-12-29" and notice is None
    assert keys(play, weeks) == {
        "frame": "2019-12-23/2019-12-29",
        "step": "week",
        "speed": 1,
    }
    for bad in (
        "2019-12-29",
        "2019-12-29/2019-12-23",
        "<b>x</b>",
        "2019-13-01/2019-13-07",
    ):
        state, notices = parse_query({"frame": bad}, options)
        assert state.frame == "" and len(notices) == 1
    state, notices = parse_query({"step": "year", "speed": "-1"}, options)
    assert (state.step, state.speed, len(notices)) == ("week", 1.0, 2)
    play, notice = start_playback(
        weeks, text="2019-12-25/2019-12-26", step="week", speed=1
    )
    assert (
        weeks[play.index].start == date(2019, 12, 23) and "holding 2019-12-25" in notice
    )
    play, notice = start_playback(
        weeks, text="2030-01-01/2030-01-07", step="week", speed=1
    )
    assert play.index is None and "outside" in notice


def test_roles_are_vectorised_over_a_large_catalogue(events):
    many = events.iloc[np.resize(np.arange(len(events)), 200_000)]
    role = roles(many, window_of(date(2019, 11, 8), "week"))
    assert role.shape == (200_000,) and set(np.unique(role)) == {0, 1, 2, 3}

"""The view state: defaults, the one table, and the URL round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from layers.page.clicked import event_in_tooltip
from layers.page.view import (
    DEFAULT_END,
    DEFAULT_START,
    FIELDS,
    NO_COUNTRY,
    WIDGET_KEYS,
    default_state,
    options_for,
    parse_query,
    state_from_widgets,
    to_query,
    widget_values,
)
from layers.params import WIDTH_RANGE_KM


@pytest.fixture(scope="module")
def options(catalogue):
    return options_for(catalogue.events)


def test_defaults_cover_the_gulf_context_and_the_escalation(options):
    state = default_state(options)
    assert (state.date_start, state.date_end) == (date(2019, 5, 1), date(2020, 1, 31))
    assert NO_COUNTRY in state.countries and "SYR" in state.countries
    assert state.basemap == "None"


def test_defaults_open_on_every_event_of_another_catalogue(options):
    # An uploaded ACLED export of 2018 must not start hidden by the window.
    wider = replace(options, first_date=date(2018, 3, 4), last_date=date(2021, 2, 1))
    state = default_state(wider)
    assert (state.date_start, state.date_end) == (date(2018, 3, 4), date(2021, 2, 1))


def test_one_row_per_piece_of_state_with_unique_url_keys():
    from dataclasses import fields

    from layers.page.view import ViewState

    assert [f.name for f in FIELDS] == [f.name for f in fields(ViewState)]
    url_keys = [f.url_key for f in FIELDS]
    assert len(set(url_keys)) == len(url_keys)


def test_url_round_trip(options):
    state = replace(
        default_state(options),
        countries=("SYR",),
        valley_km=20.0,
        date_start=date(2019, 12, 1),
        event="S-SY-1",
    )
    query = to_query(state, options)
    assert query == {
        "start": "2019-12-01",
        "countries": "SYR",
        "valley_km": "20",
        "event": "S-SY-1",
    }
    back, notices = parse_query(query, options)
    assert back == state and notices == []


def test_every_piece_round_trips_through_the_url(options):
    state = replace(
        default_state(options),
        date_start=date(2019, 12, 1),
        date_end=date(2019, 12, 31),
        event_types=options.event_types[:1],
        countries=("IRQ",),
        precision_classes=("P3", "P5"),
        confidences=("weak",),
        valley_km=12.0,
        corridor_km=33.0,
        basemap="Light",
        event=options.event_ids[0],
        lat=34.5,
        lon=41.0,
        zoom=8,
        hidden=(),
        frame="2019-12-23/2019-12-29",
        step="day",
        speed=2.0,
    )
    query = to_query(state, options)
    assert set(query) == {f.url_key for f in FIELDS}
    assert parse_query(query, options) == (state, [])


def test_an_event_id_with_a_comma_is_taken_whole(options):
    ids = (*options.event_ids, "A,B")
    opts = replace(options, event_ids=ids)
    state, notices = parse_query({"event": "A,B"}, opts)
    assert state.event == "A,B" and notices == []


def test_map_view_and_layers_round_trip_through_the_url(options):
    state = replace(
        default_state(options), lat=34.38, lon=41.06, zoom=9, hidden=("places",)
    )
    query = to_query(state, options)
    assert query == {"lat": "34.38", "lon": "41.06", "zoom": "9", "hidden": "places"}
    back, notices = parse_query(query, options)
    assert back == state and notices == []
    # Showing every layer (even the ones hidden by default) is kept too.
    shown_all = to_query(replace(state, hidden=()), options)
    assert parse_query(shown_all, options)[0].hidden == ()


def test_half_a_map_view_is_ignored_with_a_notice(options):
    state, notices = parse_query({"lat": "34", "zoom": "99"}, options)
    assert state.zoom is None and state.lat is None
    assert any("'zoom'" in n for n in notices)


def test_default_state_has_an_empty_query(options):
    assert to_query(default_state(options), options) == {}


# Each bad value: the notice names its key, and the piece it sets is the
# default again (or, for a list, the bad value is dropped and the good kept).
@pytest.mark.parametrize(
    ("query", "key", "attribute", "expected"),
    [
        ({"start": "29/12/2019"}, "start", "date_start", DEFAULT_START),
        ({"types": "Airstrike,Air/drone strike"}, "types", "event_types", None),
        ({"corridor_km": "-3"}, "corridor_km", "corridor_km", 25.0),
        ({"corridor_km": "500"}, "corridor_km", "corridor_km", 25.0),
        ({"valley_km": "wide"}, "valley_km", "valley_km", 10.0),
        ({"basemap": "Google"}, "basemap", "basemap", "None"),
        ({"event": "X-1"}, "event", "event", ""),
        ({"zoom": "99", "lat": "1", "lon": "1"}, "zoom", "zoom", None),
    ],
)
def test_bad_values_fall_back_with_a_notice(options, query, key, attribute, expected):
    state, notices = parse_query(query, options)
    assert f"'{key}'" in notices[0]
    if attribute == "event_types":
        assert state.event_types == ("Air/drone strike",)
        assert "Airstrike" in notices[0]
    else:
        assert getattr(state, attribute) == expected
    good = {"corridor_km": "30", "basemap": "Light", "start": "2019-11-01"}
    other = next(k for k in good if k != key)
    # A good value beside the bad one is kept.
    both, _ = parse_query({**query, other: good[other]}, options)
    assert to_query(both, options)[other] == good[other]


def test_end_before_start_resets_both_dates(options):
    state, notices = parse_query({"start": "2020-01-10", "end": "2019-12-01"}, options)
    assert (state.date_start, state.date_end) == (DEFAULT_START, DEFAULT_END)
    assert len(notices) == 1 and "'end'" in notices[0]


@pytest.mark.parametrize("km", [WIDTH_RANGE_KM[0], WIDTH_RANGE_KM[1]])
def test_the_width_range_ends_are_accepted(options, km):
    state, notices = parse_query({"valley_km": f"{km:g}"}, options)
    assert state.valley_km == km and notices == []


def test_widgets_seed_and_read_back_the_same_view(options):
    state = replace(
        default_state(options), countries=("SYR",), valley_km=15.0, basemap="Light"
    )
    values = widget_values(state)
    assert values[WIDGET_KEYS["countries"]] == ["SYR"]
    assert values["dates"] == (state.date_start, state.date_end)
    assert state_from_widgets(values, default_state(options)) == state


def test_a_date_range_being_picked_shows_that_day(options):
    values = widget_values(default_state(options))
    values["dates"] = (date(2019, 12, 29),)
    state = state_from_widgets(values, default_state(options))
    assert state.date_start == state.date_end == date(2019, 12, 29)


def test_event_in_tooltip_needs_the_whole_id():
    ids = ("S-IQ-1", "S-IQ-10")
    assert event_in_tooltip("Event S-IQ-10 zone", ids) == "S-IQ-10"
    assert event_in_tooltip("Event S-IQ-1\nzone", ids) == "S-IQ-1"
    assert event_in_tooltip("S-IQ-100", ids) is None


def test_map_centre_and_start_follow_the_link(options):
    from layers.page.view import map_centre, map_start, with_map_report

    state = default_state(options)
    assert map_centre(state) == {"center": None, "zoom": None}
    linked = replace(state, lat=34.4, lon=41.0, zoom=9)
    assert map_centre(linked) == {"center": (34.4, 41.0), "zoom": 9}
    assert map_start(linked) == {"lat": 34.4, "lon": 41.0, "zoom": 9}
    assert with_map_report(linked, None) is linked


def test_date_bounds_hold_a_linked_range(options):
    from layers.page.view import date_bounds

    early = date(2001, 1, 1)
    assert date_bounds(options, (early, early))[0] == early
    low, high = date_bounds(options, (DEFAULT_START, DEFAULT_END))
    assert low == min(options.first_date, DEFAULT_START)
    assert high == max(options.last_date, DEFAULT_END)


def test_a_list_of_only_unknown_values_keeps_the_default(options):
    state, notices = parse_query(
        {"types": "bogus", "countries": "IRQ,nowhere"}, options
    )
    assert state.event_types == default_state(options).event_types
    assert state.countries == ("IRQ",)
    assert notices == [
        "'types' has only unknown value(s) bogus; used the default.",
        "'countries' has unknown value(s) nowhere; ignored them.",
    ]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.url_key)
def test_every_url_key_falls_back_to_its_default_on_garbage(options, field):
    garbage = "<b>bogus</b>\u202e;DROP"
    params = {field.url_key: garbage}
    if field.url_key in ("lat", "lon", "zoom"):
        params = {"lat": garbage, "lon": garbage, "zoom": garbage}
    state, notices = parse_query(params, options)
    assert getattr(state, field.name) == field.default(options)
    assert any(f"'{field.url_key}'" in notice for notice in notices), notices

"""The view state: defaults, filters and the URL round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from layers.page.view import (
    NO_COUNTRY,
    apply_view,
    default_state,
    filter_events,
    options_for,
    parse_query,
    to_query,
)


@pytest.fixture(scope="module")
def options(catalogue):
    return options_for(catalogue.events)


def test_defaults_cover_the_gulf_context_and_the_escalation(options):
    state = default_state(options)
    assert (state.date_start, state.date_end) == (date(2019, 5, 1), date(2020, 1, 31))
    assert NO_COUNTRY in state.countries and "SYR" in state.countries
    assert state.basemap == "None"


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


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ({"start": "29/12/2019"}, "start"),
        ({"types": "Airstrike"}, "types"),
        ({"corridor_km": "-3"}, "corridor_km"),
        ({"corridor_km": "500"}, "corridor_km"),
        ({"basemap": "Google"}, "basemap"),
        ({"event": "X-1"}, "event"),
        ({"start": "2020-01-10", "end": "2019-12-01"}, "end"),
    ],
)
def test_bad_values_fall_back_with_a_notice(options, query, key):
    state, notices = parse_query(query, options)
    assert len(notices) == 1 and f"'{key}'" in notices[0]
    default = default_state(options)
    assert state.corridor_km == default.corridor_km
    assert state.basemap == default.basemap


def test_month_long_event_counts_when_the_range_touches_it(catalogue, options):
    state = replace(
        default_state(options),
        date_start=date(2019, 11, 15),
        date_end=date(2019, 11, 20),
    )
    kept = set(filter_events(catalogue.events, state)["event_id"])
    assert kept == {"R-GZ-201911"}  # rockets some time in November


def test_apply_view_filters_zones_and_redissolves_areas(layers, options):
    state = replace(default_state(options), countries=("SYR",))
    shown = apply_view(layers, state)
    assert set(shown["strike_zones"]["country"]) == {"SYR"}
    assert list(shown["strike_areas"]["country"]) == ["SYR"]
    assert shown["strike_areas"]["site_count"].iloc[0] == 2
    assert shown["countries"] is layers["countries"]

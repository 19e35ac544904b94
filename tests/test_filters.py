"""Applying a view to the built layers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from layers.page.filters import TABLE_COLUMNS, apply_view, events_table, filter_events
from layers.page.view import default_state, options_for


@pytest.fixture(scope="module")
def options(catalogue):
    return options_for(catalogue.events)


def test_month_long_event_counts_when_the_range_touches_it(catalogue, options):
    state = replace(
        default_state(options),
        date_start=date(2019, 11, 15),
        date_end=date(2019, 11, 20),
    )
    kept = set(filter_events(catalogue.events, state)["event_id"])
    assert kept == {"R-GZ-201911"}  # rockets some time in November


@pytest.mark.parametrize(
    ("attribute", "value", "kept", "dropped"),
    [
        ("event_types", ("Air/drone strike",), "SOL-20200103", "K1-20191227"),
        ("countries", ("SYR",), "S-SY-1", "S-IQ-1"),
        ("precision_classes", ("P2",), "K1-20191227", "S-IQ-1"),
        ("confidences", ("weak",), "R-TAJI-20191229", "S-SY-1"),
    ],
)
def test_each_filter_keeps_and_drops(
    catalogue, options, attribute, value, kept, dropped
):
    state = replace(default_state(options), **{attribute: value})
    ids = set(filter_events(catalogue.events, state)["event_id"])
    assert kept in ids and dropped not in ids


def test_events_outside_any_country_have_their_own_choice(catalogue, options):
    events = catalogue.events.copy()
    events.loc[events.index[0], "country"] = ""
    first = events["event_id"].iloc[0]
    state = replace(default_state(options), date_start=date(2019, 1, 1))
    assert first in set(filter_events(events, state)["event_id"])
    state = replace(state, countries=("IRQ", "SYR"))
    assert first not in set(filter_events(events, state)["event_id"])


def test_apply_view_filters_zones_and_redissolves_areas(layers, options):
    state = replace(default_state(options), countries=("SYR",))
    shown = apply_view(layers, state)
    assert set(shown["strike_zones"]["country"]) == {"SYR"}
    assert list(shown["strike_areas"]["country"]) == ["SYR"]
    assert shown["strike_areas"]["site_count"].iloc[0] == 2
    assert shown["countries"] is layers["countries"]


def test_no_zone_left_leaves_no_strike_area(layers, options):
    state = replace(default_state(options), countries=("IRN",))
    shown = apply_view(layers, state)
    assert len(shown["strike_zones"]) == 0 and len(shown["strike_areas"]) == 0


def test_events_table_has_the_table_columns(layers):
    assert list(events_table(layers["events"]).columns) == list(TABLE_COLUMNS)

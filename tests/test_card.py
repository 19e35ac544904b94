"""The provenance card."""

from __future__ import annotations

import pytest

from layers.page.card import card_html


@pytest.fixture(scope="module")
def zone_card(layers):
    events = layers["events"].set_index("event_id", drop=False)
    zones = layers["strike_zones"].set_index("event_id", drop=False)
    return card_html(events.loc["S-IQ-1"].to_dict(), zones.loc["S-IQ-1"].to_dict())


def test_card_says_when_where_and_how_certain(zone_card):
    assert "2019-12-29 (exact date)" in zone_card
    assert (
        "P3: near a named place, or a district" in zone_card
        and "uncertainty radius 20 km" in zone_card
    )
    assert "Intersection of: within 20 km of Al-Qa&#x27;im" in zone_card
    assert "Published positions" in zone_card and "34.36694, 41.13889" in zone_card


def test_claims_side_by_side_with_their_claimant(zone_card):
    assert (
        "Kata&#x27;ib Hezbollah spokesman</td><td>24</td><td>at least 51</td>"
        in zone_card
    )
    assert (
        "Iraqi security and militia sources (Reuters)</td><td>at least 25</td>"
        in zone_card
    )
    assert "must not be added up" in zone_card


def test_sources_are_links(zone_card):
    assert '<a href="https://www.reuters.com/article/us-iraq-security/' in zone_card
    assert 'rel="noopener noreferrer"' in zone_card


def test_event_without_zone_has_no_derivation(layers):
    events = layers["events"].set_index("event_id", drop=False)
    card = card_html(events.loc["K1-20191227"].to_dict())
    assert "Derivation" not in card and "K-1 Air Base" in card

"""The card's distances to the border and the river, checked against pyproj.Geod."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from layers.page import card, measure
from tests.geodesy import GEOD, distance_to_line_m


@pytest.fixture(scope="module")
def lines(layers):
    return measure.reference_lines(layers)


#: Al-Qa'im, Abu Kamal, Ain al-Asad, Baghdad's Green Zone, Abqaiq.
PLACES = [
    (40.99, 34.39),
    (40.92, 34.45),
    (42.44, 33.80),
    (44.39, 33.31),
    (49.67, 25.94),
]


@pytest.mark.parametrize("lon, lat", PLACES)
def test_distance_to_each_line_is_the_geodesic_minimum(lines, lon, lat):
    for name, line in lines.items():
        near = measure.nearest(shapely.Point(lon, lat), line)
        sampled = distance_to_line_m(np.array([[lon, lat]]), line, 2_500_000)[0]
        # The sampled minimum can only be longer (samples every ~100 m).
        assert near.distance_m == pytest.approx(sampled, rel=1e-3, abs=2.0), name
        azimuth, _, distance = GEOD.inv(lon, lat, near.lon, near.lat)
        assert near.distance_m == pytest.approx(distance, rel=1e-9)
        assert near.bearing_deg == pytest.approx(azimuth % 360, abs=1e-9)
        # The point found lies on the line (within a centimetre or so).
        assert shapely.distance(shapely.Point(near.lon, near.lat), line) < 1e-6


def test_abu_kamal_is_near_the_border_and_on_the_river(lines):
    abu_kamal = shapely.Point(40.92, 34.45)
    border = measure.nearest(abu_kamal, lines["the Iraq-Syria border"])
    river = measure.nearest(abu_kamal, lines["the Euphrates"])
    assert 1_000 < border.distance_m < 10_000  # the town sits by the crossing
    assert river.distance_m < 3_000


def test_an_area_crossing_a_line_is_at_zero(lines):
    disc = shapely.Point(40.92, 34.45).buffer(0.2)
    assert measure.nearest(disc, lines["the Euphrates"]).distance_m == 0.0


def test_the_card_states_both_distances(layers):
    html = card.event_card("R-AA-20191203", layers["events"], layers=layers)
    assert "<b>Distances</b> on the WGS 84 ellipsoid" in html
    assert "the Iraq-Syria border" in html and "the Euphrates" in html
    row = layers["events"].set_index("event_id").loc["R-AA-20191203"]
    lines = measure.reference_lines(layers)
    expected = distance_to_line_m(
        np.array([[row["lon"], row["lat"]]]), lines["the Iraq-Syria border"], 500_000
    )[0]
    assert f"the Iraq-Syria border {expected / 1000:,.1f} km" in html


def test_the_card_without_layers_has_no_distances(layers):
    assert "Distances" not in card.event_card("R-AA-20191203", layers["events"])

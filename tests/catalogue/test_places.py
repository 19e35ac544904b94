"""Positions anywhere on Earth: the stated country is checked, the region is not.

Outside facts: Sana'a (15.35N, 44.21E) is in Yemen, Kharkiv (49.99N, 36.23E)
in Ukraine, Gao (16.27N, 0.04W) in Mali (GeoNames); Al Hudaydah port lies on
the Red Sea coast, just off Natural Earth's 1:10m outline of Yemen.
"""

from __future__ import annotations

import sys

import pytest

from layers.catalogue import validate_tables
from layers.catalogue.errors import CatalogueErrors
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
from benchmarks.make_catalogue import make_catalogue  # noqa: E402

SANAA = ("YEM", 15.3547, 44.2067)
KHARKIV = ("UKR", 49.9935, 36.2304)
GAO = ("MLI", 16.2666, -0.0400)
NAMES = {"events": "world.csv", "claims": "world.csv", "sources": "world.csv"}


def _tables(places: list[tuple[str, float, float]]) -> dict:
    """A small valid catalogue whose events lie at *places* (P3, 5 km)."""
    tables = make_catalogue(len(places), seed=3)
    events = tables["events"]
    for i, (country, lat, lon) in enumerate(places):
        events.loc[i, ["country", "lat", "lon"]] = [country, str(lat), str(lon)]
    events["admin1"] = ""
    events["constraints"] = ""
    events["candidates"] = ""
    events["precision_class"] = "P3"
    events["geo_precision"] = "2"
    events["where_prec"] = "3"
    events["uncertainty_m"] = "5000"
    return tables


def _errors(places, *, native: bool) -> list:
    with pytest.raises(CatalogueErrors) as info:
        validate_tables(**_tables(places), names=NAMES, native=native)
    return info.value.errors


@pytest.mark.parametrize("native", [True, False])
def test_events_in_yemen_ukraine_and_mali_are_accepted(native):
    catalogue = validate_tables(
        **_tables([SANAA, KHARKIV, GAO]), names=NAMES, native=native
    )
    assert catalogue.events["country"].tolist() == ["YEM", "UKR", "MLI"]
    assert catalogue.events.geometry.y.round(4).tolist() == [15.3547, 49.9935, 16.2666]


def test_a_yemen_point_with_lat_and_lon_swapped_is_asked_about_swapping():
    errors = _errors([SANAA, ("YEM", 44.2067, 15.3547)], native=True)
    assert [(e.path, e.row, e.column) for e in errors] == [("world.csv", 3, "lat")]
    assert "44.2067, 15.3547" in errors[0].problem
    assert errors[0].problem.count("(are lat and lon swapped?)") == 1


def test_a_point_on_another_continent_is_refused_naming_where_it_lies():
    # Stated Yemen, but the position is Kharkiv's: a gross mismatch.
    errors = _errors([SANAA, ("YEM", 49.9935, 36.2304)], native=False)
    assert [(e.row, e.column) for e in errors] == [(3, "lat")]
    assert "lies in Ukraine" in errors[0].problem
    assert "swapped" not in errors[0].problem


def test_zero_zero_is_flagged_as_no_place():
    errors = _errors([SANAA, ("MLI", 0.0, 0.0)], native=False)
    assert [(e.row, e.column) for e in errors] == [(3, "lat")]
    assert "0, 0 is no place" in errors[0].problem


def test_the_open_sea_is_refused_for_an_event_on_land():
    # The middle of the Arabian Sea, stated Yemen, not coded over water.
    errors = _errors([SANAA, ("YEM", 14.0, 62.0)], native=False)
    assert "open sea" in errors[0].problem


def test_an_import_just_off_the_generalised_coast_is_accepted_and_noted():
    port = ("YEM", 14.8317, 42.9283)  # Al Hudaydah port, the quay
    imported = validate_tables(**_tables([SANAA, port]), names=NAMES)
    note = imported.events["notes"].iloc[1]
    assert "Position accepted at sea" in note
    assert "outline of Yemen" in note
    assert "Position accepted" not in imported.events["notes"].iloc[0]


def test_an_unknown_country_code_is_named():
    errors = _errors([SANAA, ("XYZ", 15.0, 44.0)], native=True)
    assert [(e.row, e.column) for e in errors] == [(3, "country")]
    assert "'XYZ' is not a country of the reference data" in errors[0].problem

"""UCDP GED CSV files: where_prec and date_prec honoured, low/best/high kept."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from layers.catalogue import read_catalogue
from layers.catalogue.errors import CatalogueErrors
from layers.catalogue.importers import ucdp
from layers.catalogue.importers.mapped import to_tables as mapped_tables
from layers.catalogue.importers.ucdp import stated_radius_m

to_tables = partial(mapped_tables, mapping=ucdp.MAPPING)

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"
UCDP = IMPORTS / "ucdp_strikes.csv"


@pytest.fixture(scope="module")
def ucdp_catalogue():
    return read_catalogue(UCDP)


def _event(catalogue, event_id):
    return catalogue.events.set_index("event_id").loc[event_id]


@pytest.mark.parametrize(
    ("event_id", "klass", "where_prec", "radius"),
    [
        ("UCDP-300004", "P1", 1, 100),  # exact location
        ("UCDP-300001", "P3", 2, 20_000),  # "within 20 km" stated
        ("UCDP-300003", "P3", 2, 25_000),  # nothing stated: 25 km convention
        ("UCDP-300002", "P4", 4, None),  # province: the governorate
        ("UCDP-300007", "P5", 5, None),  # part of the country
        ("UCDP-300008", "P6", 6, None),  # the country: listed, not drawn
    ],
)
def test_where_prec_to_class_and_radius(
    ucdp_catalogue, event_id, klass, where_prec, radius
):
    event = _event(ucdp_catalogue, event_id)
    assert event["precision_class"] == klass
    assert event["where_prec"] == where_prec
    if radius is not None:
        assert event["uncertainty_m"] == radius


def test_province_is_the_governorate(ucdp_catalogue):
    event = _event(ucdp_catalogue, "UCDP-300002")
    assert event["constraints"] == "country:IRQ; admin1:Al-Anbar"
    assert "UCDP point" in event["candidates"]


def test_dayr_al_zor_spelling_matches(ucdp_catalogue):
    assert _event(ucdp_catalogue, "UCDP-300003")["admin1"] == "Dayr Az Zawr"


def test_water_is_an_estimated_disc_without_country():
    text = UCDP.read_text(encoding="utf-8")
    lines = text.splitlines()
    water = lines[4].replace(",1,K-1 Air Base,", ",7,K-1 Air Base,")
    events = to_tables("\n".join([lines[0], water]).encode(), name="ucdp.csv").events
    event = events.iloc[0]
    assert event["precision_class"] == "P3"
    assert event["where_prec"] == "7"
    assert event["constraints"] == ""
    assert event["uncertainty_m"] == "50000"


def test_date_prec_and_span(ucdp_catalogue):
    week = _event(ucdp_catalogue, "UCDP-300007")
    assert week["time_precision"] == 2
    assert (week["date_end"] - week["date_start"]).days == 6
    month = _event(ucdp_catalogue, "UCDP-300008")
    assert month["time_precision"] == 3


def test_low_best_high_are_ucdp_claims_never_summed(ucdp_catalogue):
    claims = ucdp_catalogue.claims
    soleimani = claims[claims["applies_to"] == "UCDP-300005"].set_index("claimant")
    assert soleimani.loc["UCDP GED (best estimate)", "killed_low"] == 8
    assert soleimani.loc["UCDP GED (low and high estimates)", "killed_low"] == 8
    assert soleimani.loc["UCDP GED (low and high estimates)", "killed_high"] == 10
    assert len(soleimani) == 2


def test_source_articles_become_sources_without_url(ucdp_catalogue):
    sources = ucdp_catalogue.sources
    reuters = sources[sources["outlet"] == "Reuters"]
    assert len(reuters) == 2
    assert set(reuters["url"]) == {""}
    assert "2019-12-29" in set(reuters["published"])


def test_stated_distance():
    import pandas as pd

    radii = stated_radius_m(pd.Series(["within 20 km", "5 miles west", "town", ""]))
    assert radii.iloc[0] == 20_000
    assert round(radii.iloc[1]) == 8047
    assert radii.iloc[2:].isna().all()


def test_broken_file_names_every_row_and_ucdp_column():
    with pytest.raises(CatalogueErrors) as info:
        read_catalogue(IMPORTS / "ucdp_broken.csv")
    message = str(info.value)
    for expected in (
        "ucdp_broken.csv, row 2, column 'where_prec': '9' is not a UCDP where_prec",
        "row 3, column 'date_end'",
        "row 4, column 'date_prec': '0'",
        "row 4, column 'latitude': 'abc'",
        "row 5, column 'high'",
    ):
        assert expected in message

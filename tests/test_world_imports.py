"""ACLED- and UCDP-format strike files from five countries, placed in the world.

The files (``tests/data/imports/world/``) code real strikes' places as ACLED
and UCDP would: towns, "near" a town and province-level events in Yemen,
Ukraine, Mali, Somalia and Lebanon. Each row must resolve to its country by
name and by code, be accepted against the world outlines (none refused for
region), and get the admin-1 area the place really lies in.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from layers.catalogue.check.placement import ACCEPTED, place_positions
from layers.catalogue.countries import resolve_countries
from layers.catalogue.importers.rows import read_csv_strings
from layers.catalogue.importers.world_admin1 import match_admin1

WORLD = Path(__file__).parent / "data" / "imports" / "world"
#: Where each place lies (Natural Earth admin-1 v4.1.0 names). Ménaka lies in
#: Gao and Baalbek in Beqaa: the v4.1.0 units predate Mali's Ménaka region
#: and Lebanon's Baalbek-Hermel governorate (both in effect from the 2010s).
EXPECTED = {
    "Sanaa": ("YEM", "Amanat Al Asimah"),
    "Al Hudaydah Port": ("YEM", "Al Hudaydah"),
    "Sirwah": ("YEM", "Ma'rib"),
    "Sadah": ("YEM", "Sa`dah"),
    "Kharkiv": ("UKR", "Kharkiv"),
    "Zaporizhzhia": ("UKR", "Zaporizhzhya"),
    "Odesa": ("UKR", "Odessa"),
    "Gao": ("MLI", "Gao"),
    "Kidal": ("MLI", "Kidal"),
    "Mopti": ("MLI", "Mopti"),
    "Menaka": ("MLI", "Gao"),
    "Mogadishu": ("SOM", "Banaadir"),
    "Jilib": ("SOM", "Jubbada Dhexe"),
    "Baidoa": ("SOM", "Bay"),
    "Bosaso": ("SOM", "Bari"),
    "Tyre": ("LBN", "South Lebanon"),
    "Nabatieh": ("LBN", "An Nabatiyah"),
    "Haret Hreik": ("LBN", "Mount Lebanon"),
    "Baalbek": ("LBN", "Beqaa"),
}


def _read(name: str):
    path = WORLD / name
    return path, read_csv_strings(path.read_bytes(), name=str(path))


@pytest.mark.parametrize(
    ("name", "place", "admin1", "codes"),
    [
        ("acled_world_strikes.csv", "location", "admin1", [("iso", "iso_numeric")]),
        ("ucdp_world_strikes.csv", None, "adm_1", [("country_id", "gw")]),
    ],
)
def test_every_event_gets_its_country_and_admin1(name, place, admin1, codes):
    path, frame = _read(name)
    country = resolve_countries(frame["country"], path=str(path), column="country")
    for column, kind in codes:
        by_code = resolve_countries(
            frame[column], kind=kind, path=str(path), column=column
        )
        assert by_code.tolist() == country.tolist()
    lon = frame["longitude"].astype(float).to_numpy()
    lat = frame["latitude"].astype(float).to_numpy()
    placed = place_positions(lon, lat, country)
    assert placed["verdict"].isin(ACCEPTED).all(), placed[placed["reason"] != ""]
    areas = match_admin1(frame[admin1], country, lon, lat)
    # The UCDP file names the same places in the same order.
    places = frame[place] if place else _read("acled_world_strikes.csv")[1]["location"]
    got = dict(zip(places, zip(country, areas["admin1"], strict=True), strict=True))
    assert got == EXPECTED


def test_the_port_on_the_generalised_coast_is_accepted_and_said_so():
    _, frame = _read("acled_world_strikes.csv")
    port = frame[frame["location"] == "Al Hudaydah Port"]
    placed = place_positions(
        port["longitude"].astype(float).to_numpy(),
        port["latitude"].astype(float).to_numpy(),
        resolve_countries(port["country"], path="acled", column="country"),
    )
    # Just off the 1:10m coast: accepted within the tolerance, at sea.
    assert placed["verdict"].tolist() == ["near"]
    assert placed["iso_a3"].tolist() == [""]
    assert 0 < placed["off_m"].iloc[0] < 2_000


def test_admin1_names_match_by_spelling_or_within_a_larger_area():
    _, frame = _read("acled_world_strikes.csv")
    country = resolve_countries(frame["country"], path="acled", column="country")
    lon = frame["longitude"].astype(float).to_numpy()
    lat = frame["latitude"].astype(float).to_numpy()
    areas = match_admin1(frame["admin1"], country, lon, lat)
    how = dict(zip(frame["admin1"], areas["how"], strict=True))
    assert how["Amanat al Asimah"] == "name"
    assert how["Marib"] == "name"
    # ACLED spellings Natural Earth does not use.
    assert how["Zaporizhia"] == "name"
    assert how["Banadir"] == "name"
    # Menaka region was carved out of Gao region after the reference was made.
    assert how["Menaka"] == "within"
    assert dict(zip(frame["admin1"], areas["admin1"], strict=True))["Menaka"] == "Gao"
    assert set(areas["how"]) <= {"name", "within"}
    assert np.all(areas["admin1"] != "")


def test_an_unknown_admin1_name_falls_back_to_the_position_and_says_so():
    names = pd.Series(["Atlantis", "Sanaa"])
    country = pd.Series(["YEM", "YEM"])
    # Ma'rib city, and a point in Sana'a governorate (Bani Matar).
    lon, lat = np.array([45.3235, 44.02]), np.array([15.4627, 15.27])
    areas = match_admin1(names, country, lon, lat)
    assert areas["how"].tolist() == ["position", "name"]
    assert areas["admin1"].tolist() == ["Ma'rib", "Sana'a"]

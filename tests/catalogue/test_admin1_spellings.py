"""Admin-1 names as ACLED and UCDP spell them find their reference area.

Each pair is a name as the sources write it (ACLED's ``admin1``, UCDP's
``adm_1`` with its "oblast", "region", "state" or "governorate") and the
Natural Earth area that is that province. A name the reference holds only
inside a larger area (a province created after it) gives the larger area,
flagged so; a name of no area gives nothing, and the position decides.
"""

from __future__ import annotations

import pandas as pd
import pytest

from layers.catalogue.importers.names import admin1_names, admin1_within
from layers.catalogue.spelling import admin_key, name_key
from layers.catalogue.world import shipped_world

SPELLINGS = [
    ("YEM", "Amanat al Asimah", "Amanat Al Asimah"),
    ("YEM", "Sanaa", "Sana'a"),
    ("YEM", "Marib", "Ma'rib"),
    ("YEM", "Ma'rib governorate", "Ma'rib"),
    ("YEM", "Taizz", "Ta`izz"),
    ("YEM", "Aden", "`Adan"),
    ("YEM", "Al Hudaydah governorate", "Al Hudaydah"),
    ("YEM", "Sadah", "Sa`dah"),
    ("UKR", "Donetsk", "Donets'k"),
    ("UKR", "Donetsk oblast", "Donets'k"),
    ("UKR", "Kharkiv oblast", "Kharkiv"),
    ("UKR", "Kyiv", "Kiev"),
    ("UKR", "Kyiv City", "Kiev City"),
    ("UKR", "Odesa", "Odessa"),
    ("UKR", "Zaporizhia", "Zaporizhzhya"),
    ("UKR", "Zakarpattia", "Transcarpathia"),
    ("UKR", "Autonomous Republic of Crimea", "Crimea"),
    ("MLI", "Gao region", "Gao"),
    ("MLI", "Tombouctou", "Timbuktu"),
    ("MLI", "Segou", "Ségou"),
    ("SOM", "Banadir", "Banaadir"),
    ("SOM", "Banaadir region", "Banaadir"),
    ("SOM", "Lower Shabelle", "Shabeellaha Hoose"),
    ("SOM", "Middle Juba", "Jubbada Dhexe"),
    ("SOM", "Hiraan", "Hiiraan"),
    ("LBN", "South", "South Lebanon"),
    ("LBN", "Nabatiye", "An Nabatiyah"),
    ("LBN", "Nabatiyeh governorate", "An Nabatiyah"),
    ("LBN", "Bekaa", "Beqaa"),
    ("NGA", "Borno state", "Borno"),
    ("AFG", "Nangarhar province", "Nangarhar"),
    ("SDN", "South Kordofan", "South Kordufan"),
    ("SDN", "West Darfur", "Western Darfur"),
    ("ETH", "Oromia", "Oromiya"),
    ("SAU", "Jazan", "Jizan"),
    ("COD", "North Kivu", "Nord-Kivu"),
    ("CMR", "Extreme-Nord", "Extrême-Nord"),
    ("IRQ", "Anbar governorate", "Al-Anbar"),
    ("SYR", "Deir ez Zor", "Dayr Az Zawr"),
]

#: Provinces created after the reference, drawn as the area that held them.
WITHIN = [
    ("COD", "Ituri", "Orientale"),
    ("COD", "Tanganyika", "Katanga"),
    ("LBN", "Akkar", "North Lebanon"),
    ("LBN", "Baalbek-Hermel", "Beqaa"),
    ("MLI", "Menaka", "Gao"),
    ("SOM", "Togdheer", "Somaliland"),
    ("YEM", "Socotra", "Hadramawt"),
]


def _match(rows):
    frame = pd.DataFrame(rows, columns=["country", "name", "area"])
    found = admin1_names(frame["name"], frame["country"], shipped_world().admin1)
    return frame, found


def test_the_sources_spellings_find_their_province():
    frame, found = _match(SPELLINGS)
    wrong = frame[found.to_numpy() != frame["area"].to_numpy()]
    assert wrong.empty, wrong.assign(found=found[wrong.index]).to_string()
    assert not admin1_within(frame["name"], frame["country"]).any()


def test_newer_provinces_are_drawn_as_the_area_that_holds_them():
    frame, found = _match(WITHIN)
    assert found.tolist() == frame["area"].tolist()
    assert admin1_within(frame["name"], frame["country"]).all()


def test_each_reference_area_lies_in_the_country_it_is_matched_for():
    frame, found = _match(SPELLINGS + WITHIN)
    admin1 = shipped_world().admin1
    owners = admin1.groupby("name")["iso_a3"].agg(set)
    assert all(c in owners[a] for c, a in zip(frame["country"], found, strict=True))


@pytest.mark.parametrize(
    ("name", "country"),
    [("Atlantis", "YEM"), ("Kharkiv", "YEM"), ("Gao", "NER"), ("", "UKR")],
)
def test_a_name_of_no_area_of_its_country_matches_nothing(name, country):
    found = admin1_names(
        pd.Series([name]), pd.Series([country]), shipped_world().admin1
    )
    assert found.tolist() == [""]


def test_burkina_faso_has_its_thirteen_regions_not_its_provinces():
    admin1 = shipped_world().admin1
    names = set(admin1.loc[admin1["iso_a3"] == "BFA", "name"])
    assert len(names) == 13
    assert {"Sahel", "Est", "Centre-Nord", "Boucle du Mouhoun"} <= names
    frame, found = _match(
        [("BFA", "Sahel", "Sahel"), ("BFA", "Centre Nord", "Centre-Nord")]
    )
    assert found.tolist() == ["Sahel", "Centre-Nord"]


def test_the_keys_drop_articles_and_kinds_of_area_but_keep_a_bare_kind():
    assert name_key("Al-Anbār") == "anbar"
    assert admin_key("Donetsk oblast") == admin_key("Donets'k") == "donetsk"
    assert admin_key("Province du Nord-Kivu") == "nordkivu"
    assert admin_key("Centre") == "centre"
    assert admin_key("North") == "north"

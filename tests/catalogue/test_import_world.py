"""ACLED and UCDP files from five countries through the importers' own tables.

Outside facts: Sana'a lies in Amanat al-Asimah, Al Hudaydah port in Al
Hudaydah, Gao in Gao region, Kharkiv in Kharkiv oblast (Natural Earth admin-1
v4.1.0 spellings). A province-level event (ACLED geo_precision 3, UCDP
where_prec 4) is its admin-1 area (class P4, cut to it), never a point.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
import shapely
from pyproj import Geod

from layers.catalogue.errors import CatalogueErrors
from layers.catalogue.importers import acled, ucdp
from layers.catalogue.importers.mapped import to_tables
from layers.catalogue.world import shipped_world

GEOD = Geod(ellps="WGS84")
WORLD = Path(__file__).resolve().parents[1] / "data" / "imports" / "world"
ACLED_TABLES = partial(to_tables, mapping=acled.MAPPING)
UCDP_TABLES = partial(to_tables, mapping=ucdp.MAPPING)
FACTS = {
    "YEMX0001": ("YEM", "Amanat Al Asimah"),
    "YEMX0002": ("YEM", "Al Hudaydah"),
    "MLIX0008": ("MLI", "Gao"),
    "UKRX0005": ("UKR", "Kharkiv"),
    "SOMX0012": ("SOM", "Banaadir"),
    "LBNX0016": ("LBN", "South Lebanon"),
}


def _acled():
    data = (WORLD / "acled_world_strikes.csv").read_bytes()
    return ACLED_TABLES(data, name="acled_world.csv").events.set_index("event_id")


def test_acled_countries_and_admin1_match_outside_facts():
    events = _acled()
    for event_id, (country, admin1) in FACTS.items():
        assert (events.loc[event_id, "country"], events.loc[event_id, "admin1"]) == (
            country,
            admin1,
        )
    assert set(events["country"]) == {"YEM", "UKR", "MLI", "SOM", "LBN"}


def test_province_events_are_their_admin1_area_never_a_point():
    events = _acled()
    provinces = events[events["geo_precision"] == "3"]
    assert len(provinces) == 5
    assert (provinces["precision_class"] == "P4").all()
    admin1 = shipped_world().admin1
    for _, event in provinces.iterrows():
        assert event["constraints"] == (
            f"country:{event['country']}; admin1:{event['admin1']}"
        )
        # The disc holds the whole area (the area, not the capital, is drawn).
        area = admin1[
            (admin1["iso_a3"] == event["country"]) & (admin1["name"] == event["admin1"])
        ].geometry.iloc[0]
        lon, lat = float(event["lon"]), float(event["lat"])
        assert area.covers(shapely.Point(lon, lat))
        # The disc is the smallest circle holding the whole area, measured on
        # the ellipsoid: every vertex inside, and not much more.
        xy = shapely.get_coordinates(area)
        _, _, far = GEOD.inv([lon] * len(xy), [lat] * len(xy), xy[:, 0], xy[:, 1])
        radius = float(event["uncertainty_m"])
        assert far.max() <= radius <= far.max() * 1.001 + 1_000
        assert "stand-in for the province" in event["candidates"]


def test_acled_spellings_find_their_area_and_newer_ones_say_where_it_came_from():
    events = _acled()
    zaporizhzhia = events.loc["UKRX0006"]
    assert zaporizhzhia["admin1"] == "Zaporizhzhya"
    assert "matched no reference area" not in zaporizhzhia["notes"]
    menaka = events[events["notes"].str.contains("'Menaka'")]
    assert len(menaka) >= 1
    assert (menaka["admin1"] == "Gao").all()
    assert (
        menaka["notes"]
        .str.contains(
            "'Menaka' is drawn as Gao, the larger reference area that holds it"
        )
        .all()
    )


def test_ucdp_file_gets_the_same_countries_and_provinces():
    data = (WORLD / "ucdp_world_strikes.csv").read_bytes()
    events = UCDP_TABLES(data, name="ucdp_world.csv").events
    assert set(events["country"]) == {"YEM", "UKR", "MLI", "SOM", "LBN"}
    provinces = events[events["where_prec"] == "4"]
    assert len(provinces) >= 1
    assert (provinces["precision_class"] == "P4").all()
    assert provinces["constraints"].str.contains("admin1:").all()


def test_an_unknown_country_names_the_row_and_the_value():
    text = (WORLD / "acled_world_strikes.csv").read_text(encoding="utf-8")
    text = text.replace(",887,Middle East,Yemen,", ",,Middle East,Atlantis,", 1)
    with pytest.raises(CatalogueErrors) as info:
        ACLED_TABLES(text.encode(), name="acled_world.csv")
    message = str(info.value)
    assert "row 2" in message and "'Atlantis'" in message
    assert "country is empty" not in message


def test_acled_without_time_precision_is_day_precision_and_says_so():
    lines = (WORLD / "acled_world_strikes.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    drop = header.index("time_precision")
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    out = io.StringIO()
    csv.writer(out).writerows([r[:drop] + r[drop + 1 :] for r in rows])
    events = ACLED_TABLES(out.getvalue().encode(), name="no_time.csv").events
    assert (events["time_precision"] == "1").all()
    assert (events["date_start"] == events["date_end"]).all()
    assert events["notes"].str.contains("no time_precision column").all()

"""ACLED and UCDP files of strikes in Yemen, Ukraine, Mali, Somalia and Lebanon
export through the command line like the seed: every row read, none refused
for its region, each event no more precise than its source allows."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from layers.__main__ import main
from layers.catalogue.world import shipped_world

WORLD = Path(__file__).resolve().parents[1] / "data" / "imports" / "world"
FILES = ("acled_world_strikes.csv", "ucdp_world_strikes.csv")


@pytest.fixture(scope="module", params=FILES)
def exported(request, tmp_path_factory) -> tuple[str, gpd.GeoDataFrame]:
    out = tmp_path_factory.mktemp("world")
    assert (
        main(["export", "--catalogue", str(WORLD / request.param), "--out", str(out)])
        == 0
    )
    return request.param, gpd.read_file(out / "events.geojson")


def test_every_row_of_the_world_file_is_exported(exported):
    name, events = exported
    rows = (WORLD / name).read_text(encoding="utf-8").strip().splitlines()
    assert len(events) == len(rows) - 1
    assert set(events["country"]) == {"YEM", "UKR", "MLI", "SOM", "LBN"}


def test_province_level_events_are_their_areas_never_pins(exported):
    _, events = exported
    coarse = events[events["precision_class"].isin(["P3", "P4", "P5"])]
    assert len(coarse) >= 4
    assert (coarse.geom_type.isin(["Polygon", "MultiPolygon"])).all()
    assert (coarse["geometry_kind"] == "area").all()
    admin1 = shipped_world().admin1
    for _, event in coarse[coarse["precision_class"] == "P4"].iterrows():
        area = admin1[
            (admin1["iso_a3"] == event["country"]) & (admin1["name"] == event["admin1"])
        ]
        assert len(area) == 1, (event["event_id"], event["admin1"])
        # The drawn area lies in its admin-1 unit (to the outline's accuracy).
        outside = shapely.difference(event.geometry, area.geometry.iloc[0].buffer(0.01))
        assert outside.area < 1e-6 * max(event.geometry.area, 1e-9) + 1e-9


def test_known_towns_lie_in_their_admin1(exported):
    _, events = exported
    by_title = dict(zip(events["event_id"], events["admin1"], strict=True))
    admin1 = set(by_title.values())
    # Outside facts: Sana'a is in Amanat al-Asimah, Gao in Gao region,
    # Kharkiv in Kharkiv oblast.
    assert {"Amanat Al Asimah", "Gao", "Kharkiv"} <= admin1

"""A catalogue beyond the seed's region names its map with its own towns.

The shipped catalogue keeps its labels exactly; an ACLED file of strikes in
Yemen, Ukraine, Mali and Somalia brings the towns around its events
(outside facts: Sana'a, Kharkiv, Gao and Mogadishu are where GeoNames puts
them, in the countries the events are in), never the world's towns.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from layers.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "tests" / "data" / "imports" / "world" / "acled_world_strikes.csv"


def _places(tmp_path: Path, *args: str) -> gpd.GeoDataFrame:
    assert main(["export", *args, "--out", str(tmp_path)]) == 0
    return gpd.read_file(tmp_path / "places.geojson")


@pytest.fixture(scope="module")
def world_places(tmp_path_factory) -> gpd.GeoDataFrame:
    return _places(tmp_path_factory.mktemp("world"), "--catalogue", str(WORLD))


@pytest.fixture(scope="module")
def shipped_places(tmp_path_factory) -> gpd.GeoDataFrame:
    return _places(tmp_path_factory.mktemp("shipped"))


def test_the_towns_of_the_events_are_labelled(world_places):
    names = set(world_places["name"])
    assert {"Sanaa", "Kharkiv", "Gao", "Mogadishu"} <= names


def test_the_world_towns_are_near_the_events_only(world_places, shipped_places):
    added = world_places[~world_places["name"].isin(shipped_places["name"])]
    assert 0 < len(added) <= 400
    assert not added["name"].isin(["Tokyo", "Lagos", "Kinshasa"]).any()


def test_every_town_carries_its_precision_and_source(world_places):
    assert (world_places["precision_class"] == "P2").all()
    assert (world_places["uncertainty_m"] >= 2000).all()
    assert world_places["sources"].str.contains("GeoNames").all()


def test_the_shipped_catalogue_keeps_its_labels(shipped_places):
    assert "Husaybah (GeoNames: Al Qā’im)" in set(shipped_places["name"])
    assert "Sanaa" not in set(shipped_places["name"])

"""Provinces wider than 400 km (143 in the world) open as their whole area, and a
regional country clipped by the region's box never stands for the whole country."""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from layers.__main__ import main
from layers.catalogue import read_catalogue, validate_tables
from layers.catalogue.errors import CatalogueError, CatalogueErrors

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.make_catalogue import make_catalogue  # noqa: E402

WORLD = Path(__file__).resolve().parents[1] / "data" / "imports" / "world"
GEOD = Geod(ellps="WGS84")

#: ACLED geo_precision 3 (province only) events, and a town-level one near the
#: Dardanelles, beyond the regional box (38°N) in Turkey.
ROWS = [
    ("WIDE1", "Saudi Arabia", 682, "Ar Riyad", "Riyadh", 24.6877, 46.7219, 3),
    ("WIDE2", "Mali", 466, "Tombouctou", "Timbuktu", 16.7735, -3.0074, 3),
    ("WIDE3", "Russia", 643, "Krasnoyarsk", "Krasnoyarsk", 56.0184, 92.8672, 3),
    ("WIDE4", "Turkey", 792, "Canakkale", "Canakkale", 40.1553, 26.4142, 2),
    ("WIDE6", "United States", 840, "Alaska", "Big Lake", 61.5214, -149.9544, 3),
]
#: Areas in km² (outside facts: Riyadh Province, Saudi General Authority for
#: Statistics; Tombouctou region, Mali's INSTAT; Krasnoyarsk Krai, Rosstat).
AREA_KM2 = {"WIDE1": 404_240, "WIDE2": 497_926, "WIDE3": 2_366_797}


def _acled(tmp_path: Path, rows=ROWS) -> Path:
    template = pd.read_csv(WORLD / "acled_world_strikes.csv", dtype=str).iloc[0]
    frame = pd.DataFrame([template] * len(rows)).reset_index(drop=True)
    columns = ["event_id_cnty", "country", "iso", "admin1", "location"]
    columns += ["latitude", "longitude", "geo_precision"]
    frame[columns] = pd.DataFrame(rows, columns=columns).astype(str)
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> gpd.GeoDataFrame:
    tmp = tmp_path_factory.mktemp("wide")
    out = tmp / "out"
    assert main(["export", "--catalogue", str(_acled(tmp)), "--out", str(out)]) == 0
    return gpd.read_file(out / "events.geojson").set_index("event_id")


def _km2(geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6


@pytest.mark.parametrize("event_id", sorted(AREA_KM2))
def test_a_province_wider_than_400_km_is_drawn_whole(exported, event_id):
    event = exported.loc[event_id]
    assert event["precision_class"] == "P4"
    assert event.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert event["uncertainty_m"] > 400_000
    # Natural Earth's generalised outline: within 10 % of the official area.
    assert _km2(event.geometry) == pytest.approx(AREA_KM2[event_id], rel=0.10)


def test_a_province_across_the_regional_box_edge_is_not_cut_by_it(exported):
    # Wadi ad-Dawasir (20.46 N) is in Riyadh Province, south of the regional
    # reference's 23 N edge: the area must hold it.
    area = exported.loc["WIDE1"].geometry
    assert area.bounds[1] < 20.0
    assert area.contains(shapely.Point(44.78, 20.46))


def test_a_town_beyond_the_box_in_a_regional_country_is_drawn(exported):
    event = exported.loc["WIDE4"]
    assert event["precision_class"] == "P3" and event["country"] == "TUR"
    assert event.geometry.contains(shapely.Point(26.4142, 40.1553))
    assert "inside Turkey" in event["derivation"]


def test_a_wider_radius_than_the_named_province_reaches_is_refused(tmp_path):
    catalogue = read_catalogue(_acled(tmp_path, ROWS[:1]))
    events = catalogue.events
    assert events["uncertainty_m"].iloc[0] == pytest.approx(470_000)
    native = tmp_path / "native"
    native.mkdir()
    # The same event, written as a native catalogue with a radius of 900 km:
    # Ar Riyad reaches nowhere near so far from its centre.
    main(["convert", str(_acled(tmp_path, ROWS[:1])), "--out", str(native)])
    path = native / "events.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[0, "uncertainty_m"] = "900000"
    table.to_csv(path, index=False)
    with pytest.raises(CatalogueError, match="Ar Riyad.*reaches 4[0-9]{2} km"):
        read_catalogue(native)
    # Without its admin-1 constraint, P4's bound of 400 km holds.
    table.loc[0, "uncertainty_m"] = "470000"
    table.loc[0, "constraints"] = "country:SAU"
    table.to_csv(path, index=False)
    with pytest.raises(CatalogueError, match="too wide for P4"):
        read_catalogue(native)


def _ucdp_country_only(tmp_path: Path, lat: float, lon: float) -> Path:
    template = pd.read_csv(WORLD / "ucdp_world_strikes.csv", dtype=str).iloc[[0]]
    row = template.assign(
        id="500001", where_prec="6", where_coordinates="Russia", adm_1="", adm_2=""
    )
    row = row.assign(latitude=str(lat), longitude=str(lon), country="Russia")
    row = row.assign(country_id="365", region="Europe", conflict_name="Russia")
    path = tmp_path / "russia.csv"
    row.to_csv(path, index=False)
    return path


def test_a_country_only_event_holds_its_whole_country(tmp_path):
    # UCDP where_prec 6: only the country is known (P6). From Moscow, Russia
    # reaches the Bering Strait (Cape Dezhnev, 66.08 N 169.65 W, 6,298 km) and
    # the southern Kuril Islands it holds (Shikotan's eastern end, 43.80 N
    # 146.85 E, 7,137 km): the radius must hold them, not stop at the 2,000 km
    # that holds Iran or Saudi Arabia.
    path = _ucdp_country_only(tmp_path, 55.7558, 37.6173)
    event = read_catalogue(path).events.iloc[0]
    assert event["precision_class"] == "P6"
    _, _, dezhnev = GEOD.inv(37.6173, 55.7558, -169.65, 66.08)
    _, _, shikotan = GEOD.inv(37.6173, 55.7558, 146.85, 43.80)
    assert dezhnev < shikotan <= float(event["uncertainty_m"]) < shikotan + 100_000
    assert "country:RUS" in event["constraints"]


@pytest.mark.parametrize(
    ("radius_m", "constraints", "refused"),
    [
        (7_150_000, "country:RUS", None),
        (12_000_000, "country:RUS", "narrower than the event's radius for P6"),
        (3_000_000, "", "too wide for P6"),
    ],
)
def test_a_country_wide_radius_is_bounded_by_the_country(
    radius_m, constraints, refused
):
    # A P6 row may be as wide as its named country reaches from its anchor
    # (Moscow: 7,137 km), never wider; without country: the 2,000 km bound holds.
    tables = make_catalogue(1, seed=5)
    events = tables["events"]
    events.loc[0, ["country", "lat", "lon", "admin1"]] = [
        "RUS",
        "55.7558",
        "37.6173",
        "",
    ]
    events.loc[0, ["candidates", "group_id", "precision_class"]] = ["", "", "P6"]
    events.loc[0, ["geo_precision", "where_prec"]] = ["", "6"]
    events.loc[0, ["uncertainty_m", "constraints"]] = [str(radius_m), constraints]
    names = {"events": "events.csv", "claims": "claims.csv", "sources": "sources.csv"}
    if refused is None:
        validate_tables(**tables, names=names, native=True)
        return
    with pytest.raises(CatalogueErrors) as info:
        validate_tables(**tables, names=names, native=True)
    problems = [e.problem for e in info.value.errors]
    assert any(refused in p for p in problems), problems


def test_a_province_across_the_antimeridian_is_drawn_on_both_sides(exported):
    # Alaska's Aleutians run past 180 degrees to Attu (52.9 N, 172.9 E): the
    # province circle around Alaska crosses the antimeridian, and the area is
    # cut there (RFC 7946), holding Anchorage and Attu, every longitude in range.
    event = exported.loc["WIDE6"]
    assert event["precision_class"] == "P4"
    area = event.geometry
    assert area.is_valid and area.geom_type == "MultiPolygon"
    west, _, east, _ = area.bounds
    assert west >= -180.0 and east <= 180.0
    assert area.contains(shapely.Point(-149.90, 61.22))  # Anchorage
    assert area.contains(shapely.Point(172.90, 52.90))  # Attu


def test_a_country_only_event_in_russia_exports(tmp_path):
    # Its disc (7,148 km around Moscow) holds the North Pole and crosses the
    # antimeridian; cut by Russia it is Russia, on both sides of 180 degrees.
    out = tmp_path / "out"
    path = _ucdp_country_only(tmp_path, 55.7558, 37.6173)
    assert main(["export", "--catalogue", str(path), "--out", str(out)]) == 0
    event = gpd.read_file(out / "events.geojson").iloc[0]
    assert event["precision_class"] == "P6"
    # Chukotka east of 180 degrees (inland of Lavrentiya, 65.5 N, 172.5 W),
    # and Kaliningrad at the other end.
    disc = event.geometry
    assert disc.is_valid
    assert disc.contains(shapely.Point(-172.5, 65.5))
    assert disc.contains(shapely.Point(20.5, 54.7))

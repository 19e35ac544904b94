"""Map building: the shell, the data payload, and what the page must not contain."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import folium
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import shape

from layers.catalogue import read_catalogue
from layers.catalogue.model import PRECISION_CLASSES
from layers.map.assets import ENGINE_SOURCE
from layers.map.build import (
    CHANNEL_KEY,
    DataLayer,
    build_map,
    build_shell,
    map_html,
    shell_options,
)
from layers.map.channel import read_report
from layers.map.data import MapView, prepare_context, view_payload
from layers.map.features import DATA_DECIMALS, context_collection, format_value
from layers.map.legend import legend_rows, precision_words
from layers.map.style import HATCH_ID
from layers.params import LayerInputs, LayerParams
from layers.registry import LAYER_NAMES, LAYERS, build_layers
from tests.conftest import DATA

CDN_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "code.jquery.com", "netdna")
HOSTILE = (
    "{{7*7}}",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
)


@pytest.fixture(scope="module")
def page(layers):
    return map_html(build_map(layers))


@pytest.fixture(scope="module")
def payload(layers):
    return view_payload(layers)


def _layer(payload: dict, name: str) -> dict:
    return next(layer for layer in payload["layers"] if layer["name"] == name)


def test_page_loads_leaflet_locally_and_nothing_from_a_cdn(page):
    for host in CDN_HOSTS:
        assert host not in page
    assert '<script src="/app/static/vendor/leaflet/leaflet.js"></script>' in page
    assert '<script src="/app/static/strikemap/strikemap.js"></script>' in page
    assert "bootstrap" not in page.lower() and "font-awesome" not in page.lower()


def test_same_input_same_page(layers, page):
    # Identical script => streamlit-folium keeps the map instead of rebuilding it.
    assert map_html(build_map(layers)) == page


def test_shell_does_not_depend_on_the_data(layers):
    context = {name: {"fine": "a.json", "coarse": "b.json"} for name in LAYER_NAMES}
    shell = map_html(build_shell(context))
    assert "S-IQ-1" not in shell and "K1-20191227" not in shell
    assert shell == map_html(build_shell(context))
    assert len(shell) < 20_000


def test_no_tiles_with_the_vector_basemap(page):
    assert "L.tileLayer" not in page


@pytest.mark.parametrize(
    ("basemap", "url_part", "attribution"),
    [
        ("Satellite", "World_Imagery", "Esri"),
        ("OpenStreetMap", "tile.openstreetmap.org", "OpenStreetMap"),
        ("Light", "World_Light_Gray_Base", "Esri"),
    ],
)
def test_online_basemaps_carry_their_attribution(
    layers, basemap, url_part, attribution
):
    page = map_html(build_map(layers, basemap=basemap))
    assert "L.tileLayer" in page and url_part in page
    assert re.search(rf'"attribution": "[^\n]*{attribution}', page)


def test_bad_basemap_or_view_is_refused(layers):
    with pytest.raises(ValueError, match="unknown basemap 'Ink'"):
        build_map(layers, basemap="Ink")
    with pytest.raises(ValueError, match="unknown view"):
        build_map(layers, view="Mars")


def test_every_layer_is_drawn_by_a_kind_the_engine_knows():
    engine = ENGINE_SOURCE.read_text()
    kinds = re.search(r"var DRAWERS = \{(.*?)\};", engine, re.S).group(1)
    for spec in LAYERS:
        assert re.search(rf"\b{spec.draw}:", kinds), spec.name


def test_area_only_events_have_no_pin(payload, catalogue):
    events = _layer(payload, "events")["data"]
    classes = dict(zip(events["id"], events["pc"], strict=True))
    strikes = set(
        catalogue.events.query("group_id == 'US-STRIKES-20191229'")["event_id"]
    )
    assert not set(classes) & strikes  # the strikes are drawn as their zones
    assert classes["GOO-KOKUKA"] == "P3"  # at sea: its ring, no dot
    engine = ENGINE_SOURCE.read_text()
    # The engine draws a dot only for classes outside areaClasses.
    assert 'if (!area && role !== "spanning")' in engine
    assert shell_options({}, tiles=False)["areaClasses"] == ["P3", "P4", "P5", "P6"]


def test_events_are_sent_as_centre_and_radius_not_rings(payload, layers):
    events = _layer(payload, "events")["data"]
    k1 = events["id"].index("K1-20191227")
    row = layers["events"].set_index("event_id").loc["K1-20191227"]
    assert events["r"][k1] == row["uncertainty_m"]
    assert events["lon"][k1] == round(row["lon"], DATA_DECIMALS)


def test_tooltip_words_match_the_card(payload):
    header = _layer(payload, "events")["data"]["tipHeader"]
    words = PRECISION_CLASSES["P2"][0]  # what the card says
    assert header["classes"]["P2"] == f"P2: {words}"
    assert header["labels"] == ["Date", "Type", "Precision", "Uncertainty radius"]
    zones = _layer(payload, "strike_zones")["data"]["features"]["features"]
    tips = {f["properties"]["id"]: dict(f["properties"]["tip"]) for f in zones}
    assert tips["S-IQ-3"]["Uncertainty radius"] == "40 km"


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_browser_words_the_radius_as_the_card_does(payload):
    events = _layer(payload, "events")["data"]
    script = (
        "global.window = {}; require(process.argv[1]);"
        f"const data = {json.dumps(events)};"
        "console.log(JSON.stringify(data.id.map((_, i) =>"
        " window.StrikeMap.eventTip(data, i))));"
    )
    out = subprocess.run(
        ["node", "-e", script, str(ENGINE_SOURCE)],
        capture_output=True,
        text=True,
        check=True,
    )
    tips = json.loads(out.stdout)
    for i, tip in enumerate(tips):
        assert tip[3] == [
            "Uncertainty radius",
            format_value("uncertainty_m", events["r"][i]),
        ]
        assert tip[2][1] == format_value("precision_class", events["pc"][i])
    assert ["Uncertainty radius", "2 km"] in tips[events["id"].index("K1-20191227")]


def test_zones_of_a_group_share_one_fill_and_keep_their_outlines(payload):
    zones = _layer(payload, "strike_zones")["data"]
    outlines = [f["properties"]["id"] for f in zones["features"]["features"]]
    assert sorted(outlines) == ["S-IQ-1", "S-IQ-2", "S-IQ-3", "S-SY-1", "S-SY-2"]
    # Iraq and Syria: one fill each, not five stacked fills.
    assert len(zones["fill"]["features"]) == 2
    assert {f["properties"]["klass"] for f in zones["fill"]["features"]} == {"P5"}


def test_region_level_zones_are_hatched(page):
    assert f'<pattern id="{HATCH_ID}"' in page
    assert "url(#" in ENGINE_SOURCE.read_text()


def test_legend_comes_from_the_specs_and_explains_classes():
    rows = legend_rows()
    switched = [row["layer"] for row in rows if "layer" in row]
    assert sorted(switched) == sorted(LAYER_NAMES)
    titles = {row.get("text") for row in rows}
    assert {spec.title for spec in LAYERS} <= titles
    text = " ".join(row.get("text", "") for row in rows)
    assert "hatched" in text and "No pin" in text
    assert [code for code, _ in precision_words()] == [f"P{i}" for i in range(1, 7)]


def test_context_is_simplified_but_keeps_shared_borders(layers):
    collection = context_collection(layers["countries"], 0.003)
    geometries = shapely.from_geojson(
        [json.dumps(f["geometry"]) for f in collection["features"]]
    )
    before = shapely.get_num_coordinates(layers["countries"].geometry.values).sum()
    assert shapely.get_num_coordinates(geometries).sum() < before
    # No gap or overlap opens between neighbours (e.g. along the Iraq-Syria line).
    assert shapely.coverage_is_valid(shapely.make_valid(geometries))


def test_context_has_a_coarse_level_for_small_zooms(layers):
    context = prepare_context(layers)
    for name in ("countries", "admin1"):
        fine = json.dumps(context[name]["fine"])
        assert len(json.dumps(context[name]["coarse"])) < len(fine)


def test_filtered_layers_give_a_smaller_payload(layers, catalogue):
    from dataclasses import replace

    from layers.page.filters import apply_view
    from layers.page.view import default_state, options_for

    state = replace(default_state(options_for(catalogue.events)), countries=("SYR",))
    payload = view_payload(apply_view(layers, state))
    zones = _layer(payload, "strike_zones")["data"]["features"]["features"]
    assert {f["properties"]["id"] for f in zones} == {"S-SY-1", "S-SY-2"}
    assert "K1-20191227" not in _layer(payload, "events")["data"]["id"]


def test_many_events_in_view_become_counts(layers):
    events = layers["events"]
    payload = view_payload(
        layers, view=MapView(bounds=(20.0, 35.0, 40.0, 60.0), zoom=5), limit=5
    )
    data = _layer(payload, "events")["data"]
    assert data["id"] == [] and sum(data["cells"]["n"]) > 5
    drawn = (~events["precision_class"].isin(["P6"])) & ~events["event_id"].isin(
        layers["strike_zones"]["event_id"]
    )
    assert sum(data["cells"]["n"]) == int(drawn.sum())
    assert "counts per hexagon" in payload["status"]


def test_events_outside_the_view_are_counted_not_dropped(layers):
    payload = view_payload(
        layers, view=MapView(bounds=(33.0, 43.0, 34.0, 45.0), zoom=8), limit=10
    )
    data = _layer(payload, "events")["data"]
    assert data["id"] and all(33 <= lat <= 34 for lat in data["lat"])
    assert "outside the view" in payload["status"]


def _hostile_layers(layers, text):
    events = layers["events"].copy()
    site = events.index[events["event_id"] == "K1-20191227"][0]
    for column in ("title", "sub_event_type"):
        events.loc[site, column] = f"A{text}B"
    zones = layers["strike_zones"].copy()
    zones.loc[zones.index[0], "title"] = f"A{text}B"
    return {**layers, "events": events, "strike_zones": zones}


def test_template_syntax_in_data_is_shown_not_evaluated(layers):
    html_page = map_html(build_map(_hostile_layers(layers, "{{7*7}} {% raw %}C")))
    assert "A49B" not in html_page
    # The braces reach the browser as \u escapes inside the JSON payload.
    assert "A\\u007b\\u007b7*7\\u007d\\u007d \\u007b% raw %\\u007dCB" in html_page


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_comes_out_literally(layers, text):
    hostile = _hostile_layers(layers, text)
    html_page = map_html(build_map(hostile))
    assert "A49B" not in html_page and "<img src=x" not in html_page
    assert html_page.count("</script>") == map_html(build_map(layers)).count(
        "</script>"
    )
    # What st_folium is fed: the swapped data layer's script.
    layer = DataLayer(view_payload(hostile)).add_to(folium.Map(tiles=None))
    script = layer._template.module.script(layer)
    payload = json.loads(script[script.index("{") : script.rindex("}") + 1])
    titles = _layer(payload, "events")["data"]["title"]
    assert f"A{text}B" in titles  # decoded, it is the text itself, unchanged
    assert "<" not in layer.payload and "{{" not in layer.payload


def test_report_is_checked_before_use():
    good = {
        "lat": 34.4,
        "lon": 41.0,
        "zoom": 9,
        "bounds": [33.9, 40.3, 34.9, 41.7],
        "hidden": ["strike_areas", "nonsense"],
        "pick": "S-IQ-1",
        "seq": 2,
    }
    report = read_report(good, layer_names=LAYER_NAMES, event_ids=["S-IQ-1"])
    assert report.hidden == ("strike_areas",) and report.pick == "S-IQ-1"
    assert report.view.zoom == 9
    bad = read_report({**good, "pick": "X"}, layer_names=(), event_ids=["S-IQ-1"])
    assert bad.pick == "" and bad.hidden == ()
    assert read_report({**good, "zoom": "9"}, layer_names=(), event_ids=()) is None
    assert read_report("{{7*7}}", layer_names=(), event_ids=()) is None
    assert CHANNEL_KEY == "last_geocoder_result"


NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="needs node to run the engine's maths")
@pytest.mark.parametrize("lat", [0.0, 25.9, 34.38, 60.0])
@pytest.mark.parametrize(
    "radius", [100.0, 500.0, 2_000.0, 20_000.0, 40_000.0, 300_000.0, 600_000.0]
)
def test_drawn_rings_stay_within_0_1_percent_of_the_radius(lat, radius):
    lon = 41.06417
    script = (
        "global.window = {}; require(process.argv[1]);"
        f"const ring = window.StrikeMap.ring({lon}, {lat}, {radius});"
        "const mids = ring.map((p, i) => { const q = ring[(i + 1) % ring.length];"
        " return [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2]; });"
        "console.log(JSON.stringify({ring, mids}));"
    )
    out = subprocess.run(
        [NODE, "-e", script, str(ENGINE_SOURCE)],
        capture_output=True,
        text=True,
        check=True,
    )
    drawn = json.loads(out.stdout)
    geod = Geod(ellps="WGS84")
    for points in (drawn["ring"], drawn["mids"]):
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        # Rounded as sent to the browser, then measured on the ellipsoid.
        _, _, distances = geod.inv(
            [round(lon, DATA_DECIMALS)] * len(points),
            [round(lat, DATA_DECIMALS)] * len(points),
            lons,
            lats,
        )
        worst = max(abs(d - radius) / radius for d in distances)
        assert worst < 0.001, (radius, lat, worst)


def test_a_pick_counts_once_and_the_view_falls_back_to_the_url_then_default():
    from layers.map.build import DEFAULT_VIEW
    from layers.map.channel import current_view, new_pick

    report = read_report(
        {"lat": 34.4, "lon": 41.0, "zoom": 9, "bounds": [34, 40, 35, 42], "pick": "A"}
        | {"seq": 1},
        layer_names=(),
        event_ids=["A"],
    )
    assert new_pick(report, None) == "A" and new_pick(report, ("A", 1)) == ""
    assert current_view(report, lat=None, lon=None, zoom=None, start=DEFAULT_VIEW) == (
        report.view
    )
    around = current_view(None, lat=33.3, lon=44.4, zoom=10, start=DEFAULT_VIEW)
    south, west, north, east = around.bounds
    assert around.zoom == 10 and south < 33.3 < north and west < 44.4 < east
    fitted = current_view(None, lat=None, lon=None, zoom=None, start=DEFAULT_VIEW)
    assert fitted.zoom == 9  # what Leaflet fits the strike area to


def test_a_province_level_event_is_drawn_as_its_governorate(reference):
    # ACLED geo_precision 3: only the province is known (Al Anbar).
    catalogue = read_catalogue(DATA / "imports" / "acled_strikes.csv")
    layers = build_layers(LayerInputs(reference, catalogue), LayerParams())
    data = _layer(view_payload(layers), "events")["data"]
    i = data["id"].index("IRQX0002")
    assert data["pc"][i] == "P4" and data["shape"][i] >= 0
    drawn = shape(data["shapes"][data["shape"][i]])
    anbar = reference.admin1[reference.admin1["name"] == "Al-Anbar"].geometry.iloc[0]
    geod = Geod(ellps="WGS84")
    drawn_m2 = abs(geod.geometry_area_perimeter(drawn)[0])
    anbar_m2 = abs(geod.geometry_area_perimeter(anbar)[0])
    assert abs(drawn_m2 - anbar_m2) / anbar_m2 < 0.005
    # An event known to a named town keeps its ring and dot, not a shape.
    site = data["pc"].index("P2")
    assert data["shape"][site] == -1

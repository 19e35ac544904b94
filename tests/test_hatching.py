"""The hatching rule: a zone known only to a region (P4-P5) is drawn hatched.

The map's engine (``strikemap.js``, ``zoneStyle``) fills a strike-zone group
with the hatch pattern and dashes a zone's outline when the class the payload
gives it is one of the shell's ``coarseClasses``; the payload gives each
group's fill its least precise class. Together: wherever a hatched zone lies,
the map is hatched, even where the zone shares its group with sharper ones.
The engine's own function is run in node, on the payload the page sends.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from layers.catalogue.model import PRECISION_CLASSES
from layers.map.assets import ENGINE_SOURCE
from layers.map.build import build_map, map_html, shell_options
from layers.map.data import COARSE_AREAS, view_payload
from layers.map.style import HATCH_ID
from layers.page.filters import apply_view
from layers.page.view import default_state, options_for
from layers.registry import get_layer

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
ZONES = get_layer("strike_zones")


def _function_source(name: str) -> str:
    """The text of function *name* in the engine, from its header to its brace."""
    text = ENGINE_SOURCE.read_text(encoding="utf-8")
    start = text.index(f"function {name}(")
    depth, i = 0, text.index("{", start)
    while True:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start : i + 1]
        i += 1


def _js_styles(opts: dict, cases: list[tuple[str, bool]]) -> list[dict]:
    """The engine's ``zoneStyle`` for each (class, outline), run in node."""
    text = ENGINE_SOURCE.read_text(encoding="utf-8")
    fades = re.search(r"var FRAME_FADE = \{[^}]*\};", text)
    assert fades is not None, "the engine's playback fades"
    script = (
        fades.group(0)  # the playback fades and roles zoneStyle reads
        + _function_source("frameRole")
        + _function_source("zoneStyle")
        + ";const opts = JSON.parse(process.argv[1]);"
        + "const cases = JSON.parse(process.argv[2]);"
        + "const spec = {style: {color: '#b30000', fillOpacity: 0.35}};"
        + "console.log(JSON.stringify(cases.map("
        + "c => zoneStyle({opts: opts}, spec, c[0], c[1]))));"
    )
    run = subprocess.run(
        ["node", "-e", script, json.dumps(opts), json.dumps(cases)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(run.stdout)


def _hatched(style: dict) -> bool:
    return style.get("fillColor") == f"url(#{HATCH_ID})"


@pytest.fixture(scope="module")
def opts():
    return shell_options({}, tiles=False)


@pytest.fixture(scope="module")
def fills(layers):
    """The strike zones' group fills as the page sends them, unfiltered."""
    payload = view_payload(layers)
    (zones,) = [layer for layer in payload["layers"] if layer["name"] == ZONES.name]
    return zones["data"]["fill"]["features"]


def test_the_shell_names_the_coarse_classes_and_the_pattern(opts):
    assert opts["coarseClasses"] == ["P4", "P5"] == list(COARSE_AREAS)
    assert opts["hatch"] == HATCH_ID
    assert "P3" in opts["areaClasses"]  # an area without a pin, but not hatched


@needs_node
def test_the_engine_hatches_only_region_level_fills_and_dashes_their_outlines(opts):
    classes = list(PRECISION_CLASSES)
    fills = _js_styles(opts, [(k, False) for k in classes])
    outlines = _js_styles(opts, [(k, True) for k in classes])
    assert [k for k, s in zip(classes, fills, strict=True) if _hatched(s)] == [
        "P4",
        "P5",
    ]
    for klass, fill, outline in zip(classes, fills, outlines, strict=True):
        coarse = klass in COARSE_AREAS
        assert fill["stroke"] is False and outline["fill"] is False
        assert (fill["fillOpacity"] == 1.0) is coarse  # the pattern, not a tint
        assert (outline.get("dashArray") == "6 4") is coarse, klass


@needs_node
def test_without_coarse_classes_the_engine_still_hatches_p4_p5(opts):
    # An older shell sends areaClasses only: more is hatched, never less.
    older = {k: v for k, v in opts.items() if k != "coarseClasses"}
    styles = _js_styles(older, [("P4", False), ("P5", False)])
    assert all(_hatched(s) for s in styles)


def test_a_group_fill_takes_its_least_precise_zone(layers, fills):
    zones = layers[ZONES.name]
    assert set(zones["precision_class"]) >= {"P3", "P5"}
    iraq = zones[zones["country"] == "IRQ"]
    assert set(iraq["precision_class"]) == {"P3", "P5"}  # a mixed group
    assert sorted(f["properties"]["klass"] for f in fills) == ["P5", "P5"]


@needs_node
def test_every_hatched_zone_lies_inside_a_hatched_fill(layers, fills, opts):
    styles = _js_styles(opts, [(f["properties"]["klass"], False) for f in fills])
    pairs = zip(fills, styles, strict=True)
    hatched = shapely.union_all([shape(f["geometry"]) for f, s in pairs if _hatched(s)])
    zones = layers[ZONES.name].to_crs(4326)
    coarse = zones[zones["precision_class"].isin(COARSE_AREAS)]
    assert len(coarse) == 3
    for geometry in coarse.geometry:
        # Fills are rounded to 1e-6 degree: nothing of the zone is left out.
        assert shapely.difference(geometry, hatched.buffer(1e-5)).area == 0


@needs_node
def test_a_filter_that_keeps_a_hatched_zone_keeps_it_hatched(layers, catalogue, opts):
    state = default_state(options_for(catalogue.events))
    shown = apply_view(layers, replace(state, countries=("IRQ",)))
    payload = view_payload(shown)
    (zones,) = [layer for layer in payload["layers"] if layer["name"] == ZONES.name]
    (fill,) = zones["data"]["fill"]["features"]
    (style,) = _js_styles(opts, [(fill["properties"]["klass"], False)])
    assert _hatched(style)
    kept = shown[ZONES.name]
    assert "S-IQ-3" in set(kept["event_id"])


def test_the_pattern_the_engine_names_is_in_the_map(layers):
    page = map_html(build_map({"strike_zones": layers["strike_zones"]}))
    assert f'<pattern id="{HATCH_ID}"' in page


def test_a_shuffled_group_still_takes_the_coarse_class(layers):
    zones = layers[ZONES.name]
    iraq = zones[zones["country"] == "IRQ"]
    for order in (iraq, iraq.iloc[::-1]):
        frame = gpd.GeoDataFrame(order, crs=zones.crs)
        payload = view_payload({ZONES.name: frame})
        (layer,) = payload["layers"]
        fill = layer["data"]["fill"]["features"]
        assert [f["properties"]["klass"] for f in fill] == ["P5"]

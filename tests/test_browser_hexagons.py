"""Many events in view: H3 hexagons with counts drawn in Chromium, a click zooms in."""

from __future__ import annotations

import pytest

from tests.browser_support import HAVE_CHROMIUM, SKIP_REASON

if not HAVE_CHROMIUM:
    pytest.skip(SKIP_REASON, allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.synthetic import synthetic_events  # noqa: E402
from layers.map import assets  # noqa: E402
from layers.map.build import build_map, map_html  # noqa: E402
from layers.map.data import MapView  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

pytestmark = pytest.mark.browser


def test_many_events_are_hexagons_that_zoom_in_when_clicked(layers, tmp_path):
    events = synthetic_events(6000)
    view = MapView(bounds=(28.0, 36.0, 40.0, 52.0), zoom=5)
    shown = {**layers, "events": events, "strike_zones": layers["strike_zones"][:0]}
    html = assets.inline_leaflet(map_html(build_map(shown, map_view=view)))
    path = tmp_path / "many.html"
    path.write_text(html)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(path.as_uri())
        page.wait_for_function("window.StrikeMap && StrikeMap.ready()", timeout=60_000)
        page.wait_for_selector(".sm-count", state="attached", timeout=30_000)
        counts = page.eval_on_selector_all(
            ".sm-count", "els => els.map(e => Number(e.textContent))"
        )
        # The standalone map opens on the strike area: look from the zoom the
        # counts were made for.
        state = page.evaluate(
            "(() => { const s = StrikeMap.state, it = s.items.filter(i => i.cell);"
            " s.map.setView([34, 44], 5, {animate: false});"
            " return {n: it.length, zoom: s.map.getZoom()}; })()"
        )
        assert len(counts) == state["n"] > 10
        drawable = int((events["precision_class"] != "P6").sum())
        assert 0 < sum(counts) <= drawable
        # Click the middle of the busiest hexagon: the map zooms in on it.
        page.evaluate(
            "(() => { const s = StrikeMap.state, it = s.items.filter(i => i.cell);"
            " const n = it.map(i => Number(i.label.split(' ')[0]));"
            " const best = it[n.indexOf(Math.max.apply(null, n))];"
            " s.map.fire('click', {latlng: best.cell.getCenter()}); })()"
        )
        page.wait_for_function(
            f"StrikeMap.state.map.getZoom() > {state['zoom']}", timeout=10_000
        )
        browser.close()


def test_a_small_pan_reports_the_same_view_and_a_large_one_a_new_one(layers, tmp_path):
    path = tmp_path / "map.html"
    path.write_text(assets.inline_leaflet(map_html(build_map(layers))))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.add_init_script("window.__GLOBAL_DATA__ = {};")
        page.goto(path.as_uri())
        page.wait_for_function("window.StrikeMap && StrikeMap.ready()", timeout=60_000)
        key = "JSON.stringify(window.__GLOBAL_DATA__.last_geocoder_result)"
        pan = "([x, y]) => StrikeMap.state.map.panBy([x, y], {animate: false})"
        # Centred on a snapping step, so a 20 px pan stays inside it.
        page.evaluate(
            "(() => { const m = StrikeMap.state.map, s = 360 / 2 ** (m.getZoom() + 1);"
            " m.setView([Math.round(m.getCenter().lat / s) * s,"
            " Math.round(m.getCenter().lng / s) * s], m.getZoom(), {animate: false});"
            " })()"
        )
        before = page.evaluate(key)
        page.evaluate(pan, [20, 0])
        assert page.evaluate(key) == before
        page.evaluate(pan, [500, 0])
        moved = page.evaluate(key)
        assert moved != before
        reported = page.evaluate("window.__GLOBAL_DATA__.last_geocoder_result")
        south, west, north, east = reported["bounds"]
        shown = page.evaluate(
            "(() => { const b = StrikeMap.state.map.getBounds();"
            " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()"
        )
        # The reported bounds hold what is shown (snapped outward).
        assert south <= shown[0] and west <= shown[1]
        assert north >= shown[2] and east >= shown[3]
        browser.close()

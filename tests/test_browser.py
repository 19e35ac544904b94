"""End-to-end: the dashboard in headless Chromium, served by a real Streamlit."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from tests.browser_support import HAVE_CHROMIUM, SKIP_REASON
from tests.conftest import ROOT

if not HAVE_CHROMIUM:
    pytest.skip(SKIP_REASON, allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    map_frame,
    streamlit_server,
    warm_up,
)

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(browser):
    # The first page load of a fresh server builds every layer; warm_up waits
    # for it once, so no test's timeout has to cover it on a busy machine.
    with streamlit_server() as base:
        warm_up(browser, base)
        yield base


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def _map(page: Page):
    """The frame that holds the Leaflet map, once its vector paths are drawn."""
    return map_frame(page)


def _open(page: Page, url: str):
    page.goto(url)
    frame = _map(page)
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    return frame


def _paths(frame) -> list[dict]:
    return frame.eval_on_selector_all(
        ".leaflet-overlay-pane path",
        "els => els.map(e => ({d: e.getAttribute('d'),"
        " stroke: e.getAttribute('stroke'), fill: e.getAttribute('fill')}))",
    )


def test_default_view_makes_no_request_off_the_machine(page, server):
    _open(page, server)
    outside = [
        url
        for url in page.requests
        if not url.startswith((server, "data:", "blob:", "about:"))
    ]
    assert outside == []
    assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in page.requests)


def test_default_view_draws_zones_corridor_valley_and_legend(page, server):
    frame = _open(page, server)
    paths = _paths(frame)
    strokes = {p["stroke"] for p in paths}
    assert "#b30000" in strokes  # strike zones
    assert "#8c6d31" in strokes  # border corridor
    assert "#2b7bb9" in strokes  # Euphrates valley
    assert any(p["fill"] == "url(#hatch-area-only)" for p in paths)  # P5 zones hatched
    legend = frame.locator(".sm-legend")
    assert legend.is_visible()
    legend.locator("summary", has_text="Legend").click()
    assert "Precision classes" in legend.inner_text()
    assert frame.locator(".leaflet-control-scale").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def test_toggling_a_layer_removes_its_paths(page, server):
    frame = _open(page, server)
    before = sum(p["stroke"] == "#b30000" for p in _paths(frame))
    frame.locator(".sm-legend summary", has_text="Legend").click()
    frame.locator('.sm-legend input[data-layer="strike_zones"]').uncheck()
    time.sleep(0.3)
    after = sum(p["stroke"] == "#b30000" for p in _paths(frame))
    assert before >= 5 and after < before


IRAQI_ANCHOR = (34.37973, 41.06417)  # lat, lon shared by S-IQ-1, S-IQ-2, S-IQ-3


def _click_at(page: Page, frame, lat: float, lon: float) -> None:
    point = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_clicking_where_the_iraqi_zones_overlap_lists_all_three(page, server):
    frame = _open(page, server)
    _click_at(page, frame, *IRAQI_ANCHOR)
    picklist = frame.locator(".sm-picklist")
    picklist.wait_for(timeout=10_000)
    labels = picklist.locator("button").all_inner_texts()
    ids = sorted(label.split(":")[0] for label in labels)
    assert ids == ["S-IQ-1", "S-IQ-2", "S-IQ-3"]
    picklist.locator("button", has_text="S-IQ-2").click()
    # The chosen zone is outlined on the map at once.
    assert frame.locator('.leaflet-overlay-pane path[stroke="#ffd400"]').count() >= 1
    card = page.locator(".card", has_text="Derivation")
    card.wait_for(timeout=30_000)
    assert "S-IQ-2" in card.inner_text()
    assert "Intersection of: within" in card.inner_text()
    assert card.locator("a[href^='https://']").count() >= 1
    # Beside the map, not below the fold.
    map_box = frame.frame_element().bounding_box()
    card_box = card.bounding_box()
    assert card_box["x"] >= map_box["x"] + map_box["width"] - 5
    assert card_box["y"] < map_box["y"] + map_box["height"]


def test_a_filter_change_keeps_the_view_and_the_open_legend(page, server):
    frame = _open(page, server)
    frame.locator(".sm-legend summary", has_text="Legend").click()
    frame.locator(".leaflet-control-zoom-out").click()
    time.sleep(1.0)
    zoom = frame.evaluate("window.map.getZoom()")
    frame.evaluate("window.__kept = true")
    zones_before = sum(p["stroke"] == "#b30000" for p in _paths(frame))
    page.get_by_role("button", name="Remove IRQ").click()
    deadline = time.monotonic() + 30
    zones_after = zones_before
    while time.monotonic() < deadline and zones_after == zones_before:
        time.sleep(0.2)
        zones_after = sum(p["stroke"] == "#b30000" for p in _paths(frame))
    assert zones_after < zones_before
    # The same map object: not rebuilt, same zoom, legend still open.
    assert frame.evaluate("window.__kept === true")
    assert frame.evaluate("window.map.getZoom()") == zoom
    assert frame.locator(".sm-legend details").first.get_attribute("open") is not None
    assert f"zoom={zoom}" in page.url


def test_legend_is_readable_in_the_dark_theme(browser, server):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, color_scheme="dark"
    )
    page = context.new_page()
    try:
        frame = _open(page, server)
        app_background = page.evaluate(
            "getComputedStyle(document.querySelector('.stApp')).backgroundColor"
        )
        assert _luminance(app_background) < 0.2  # the page really is dark
        legend = frame.locator(".sm-legend")
        legend.locator("summary", has_text="Legend").click()
        colours = legend.evaluate(
            "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
        )
        text, background = (_luminance(c) for c in colours)
        ratio = (max(text, background) + 0.05) / (min(text, background) + 0.05)
        assert ratio >= 7, colours
    finally:
        context.close()


def _luminance(css_colour: str) -> float:
    channels = [float(v) for v in css_colour[css_colour.index("(") + 1 : -1].split(",")]
    r, g, b = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        for c in (v / 255 for v in channels[:3])
    )
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_keyboard_stops_have_names_and_the_frame_a_title(page, server):
    frame = _open(page, server)
    title = frame.frame_element().get_attribute("title")
    assert title and "streamlit" not in title.lower() and "Map" in title
    unnamed = frame.evaluate(
        """() => Array.from(document.querySelectorAll(
              'a[href], button, input, [tabindex]:not([tabindex="-1"])'))
            .filter(e => !e.disabled && e.offsetParent !== null)
            .filter(e => !(e.getAttribute('aria-label') || e.title ||
                           e.textContent.trim()))
            .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []
    # Countries and governorates are scenery: never a pointer or keyboard target.
    assert frame.locator(".leaflet-interactive[stroke='#6b6b6b']").count() == 0
    assert frame.locator(".leaflet-interactive[stroke='#9a9a9a']").count() == 0


def _ring_areas(rings) -> list[float]:
    out = []
    for ring in rings:
        xy = np.asarray(ring)
        out.append(0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1])))
    return out


def test_downloaded_layer_is_rfc7946(page, server, tmp_path):
    _open(page, server)
    button = page.get_by_role("button", name="strike_zones.geojson")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "strike_zones_W10km_D25km.geojson"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    doc = json.loads(path.read_text())
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    west, south, east, north = doc["bbox"]
    assert west < east and south < north and 40 < west < 42 and 33 < south < 35
    assert len(doc["features"]) == 5
    for feature in doc["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]]
            if geometry["type"] == "Polygon"
            else (geometry["coordinates"])
        )
        for polygon in polygons:
            areas = _ring_areas(polygon)
            assert areas[0] > 0 and all(a < 0 for a in areas[1:])
        assert feature["properties"]["derivation"].startswith("Intersection of")


def test_online_basemap_requests_only_tiles_and_keeps_vectors(page, server):
    frame = _open(page, f"{server}/?basemap=OpenStreetMap")
    outside = [
        url
        for url in page.requests
        if not url.startswith((server, "data:", "blob:", "about:"))
    ]
    assert outside and all(
        url.startswith("https://tile.openstreetmap.org/") for url in outside
    )
    strokes = {p["stroke"] for p in _paths(frame)}
    assert "#6b6b6b" in strokes  # country borders still drawn without tiles


def test_standalone_html_works_offline(page, server, tmp_path, browser):
    _open(page, server)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role(
            "button", name="This map (standalone HTML, works offline)"
        ).click()
    path = tmp_path / "map.html"
    info.value.save_as(path)
    html = path.read_text()
    assert "/app/static" not in html and "cdn.jsdelivr" not in html
    offline = browser.new_context()
    requests: list[str] = []
    standalone = offline.new_page()
    standalone.on("request", lambda request: requests.append(request.url))
    standalone.goto(path.as_uri())
    standalone.wait_for_selector(
        ".leaflet-overlay-pane path", state="attached", timeout=30_000
    )
    assert standalone.locator('path[stroke="#b30000"]').count() >= 5
    assert all(url.startswith(("file:", "data:")) for url in requests)
    assert standalone.locator(".sm-legend").is_visible()
    offline.close()


def test_view_buttons_jump_to_iraq_and_the_region(page, server):
    frame = _open(page, server)
    scale = frame.locator(".leaflet-control-scale-line").first

    def km() -> float:
        text = scale.inner_text()
        return float(text.split()[0]) * (1 if text.endswith("km") else 0.001)

    def after_click(label: str, before: float) -> float:
        frame.locator(".sm-views button", has_text=label).click()
        deadline = time.monotonic() + 10
        while km() == before and time.monotonic() < deadline:
            time.sleep(0.1)  # fitBounds animates the zoom
        return km()

    start = km()
    iraq = after_click("Iraq", start)
    region = after_click("Region", iraq)
    assert start < iraq < region  # each view shows more ground per scale bar

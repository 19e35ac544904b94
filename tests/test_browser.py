"""End-to-end: the dashboard in headless Chromium, served by a real Streamlit."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists():
    if os.environ.get("STRIKEMAP_REQUIRE_BROWSER"):
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install -y chromium)",
        allow_module_level=True,
    )

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "STRIKEMAP_CATALOGUE"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise RuntimeError(f"streamlit did not start:\n{output}") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


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
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame.locator(".leaflet-overlay-pane path").count() > 0:
                return frame
        time.sleep(0.25)
    raise AssertionError("the map never drew any vector path")


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
    assert frame.locator(".strikemap-legend").is_visible()
    assert "Precision classes" in frame.locator(".strikemap-legend").inner_text()
    assert frame.locator(".leaflet-control-scale").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def test_toggling_a_layer_removes_its_paths(page, server):
    frame = _open(page, server)
    before = sum(p["stroke"] == "#b30000" for p in _paths(frame))
    frame.locator(".leaflet-control-layers").hover()
    label = frame.locator(
        ".leaflet-control-layers-overlays label", has_text="Strike zones, 29 Dec 2019"
    )
    label.locator("input").uncheck()
    time.sleep(0.3)
    after = sum(p["stroke"] == "#b30000" for p in _paths(frame))
    assert before >= 5 and after < before


def test_changing_a_filter_changes_the_paths(page, server):
    frame = _open(page, server)
    zones_before = sum(p["stroke"] == "#b30000" for p in _paths(frame))
    page.get_by_role("button", name="Remove IRQ").click()
    deadline = time.monotonic() + 30
    zones_after = zones_before
    while time.monotonic() < deadline and zones_after == zones_before:
        time.sleep(0.5)
        try:  # the map's frame is replaced when the app reruns
            zones_after = sum(p["stroke"] == "#b30000" for p in _paths(_map(page)))
        except PlaywrightError:
            continue
    assert zones_after < zones_before
    assert "countries=" in page.url


def _click_zone(page: Page, frame) -> None:
    # The P3 zones (solid fill) are the Iraqi ones; click inside the topmost.
    handle = frame.locator('.leaflet-overlay-pane path[fill="#e34a33"]').last
    box = handle.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.75)


def test_clicking_a_zone_opens_its_provenance_card(page, server):
    frame = _open(page, server)
    _click_zone(page, frame)
    card = page.locator(".card", has_text="Derivation")
    card.wait_for(timeout=30_000)
    text = card.inner_text()
    assert "Intersection of: within" in text and "inside Iraq" in text
    assert card.locator("a[href^='https://']").count() >= 1


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
    assert standalone.locator(".strikemap-legend").is_visible()
    offline.close()


def test_view_buttons_jump_to_iraq_and_the_region(page, server):
    frame = _open(page, server)
    scale = frame.locator(".leaflet-control-scale-line").first

    def km() -> float:
        text = scale.inner_text()
        return float(text.split()[0]) * (1 if text.endswith("km") else 0.001)

    def after_click(label: str, before: float) -> float:
        frame.locator(".strikemap-views button", has_text=label).click()
        deadline = time.monotonic() + 10
        while km() == before and time.monotonic() < deadline:
            time.sleep(0.1)  # fitBounds animates the zoom
        return km()

    start = km()
    iraq = after_click("Iraq", start)
    region = after_click("Region", iraq)
    assert start < iraq < region  # each view shows more ground per scale bar

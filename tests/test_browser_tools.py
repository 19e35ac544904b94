"""End-to-end in headless Chromium: the analyst's tools on the map."""

from __future__ import annotations

import time

import pytest
from pyproj import Geod

from tests.browser_support import HAVE_CHROMIUM, SKIP_REASON

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

pytestmark = pytest.mark.browser
GEOD = Geod(ellps="WGS84")
QAIM = (34.39, 40.99)
ABU_KAMAL = (34.45, 40.92)


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
    with streamlit_server() as base:
        warm_up(browser, base)
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def _open(page: Page, url: str):
    page.goto(url)
    frame = map_frame(page)
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    return frame


def _click_at(page: Page, frame, lat: float, lon: float) -> None:
    point = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_two_clicks_measure_qaim_to_abu_kamal_as_geod_does(page, server):
    frame = _open(page, f"{server}/?lat=34.42&lon=40.955&zoom=12")
    button = frame.get_by_role("button", name="Measure")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    _click_at(page, frame, *QAIM)
    _click_at(page, frame, *ABU_KAMAL)
    result = frame.locator(".sm-measure-result")
    result.filter(has_text="bearing").wait_for(timeout=10_000)
    clicked = frame.evaluate(
        "() => window.StrikeMap.measureTool.points.map(p => [p.lng, p.lat])"
    )
    metres = float(result.get_attribute("data-metres"))
    (lon1, lat1), (lon2, lat2) = clicked
    _, _, between_clicks = GEOD.inv(lon1, lat1, lon2, lat2)
    _, _, between_places = GEOD.inv(QAIM[1], QAIM[0], ABU_KAMAL[1], ABU_KAMAL[0])
    assert abs(metres - between_clicks) / between_clicks < 1e-3
    # The clicks landed on the places to a pixel (about 32 m at zoom 12).
    assert abs(metres - between_places) / between_places < 5e-3
    label = frame.locator(".sm-measure-label")
    assert "km, bearing 31" in label.inner_text()  # about 316 degrees
    # Measuring does not pick features: no card list opened.
    assert frame.locator(".sm-picklist").count() == 0
    frame.locator(".leaflet-container").press("Escape")
    assert button.get_attribute("aria-pressed") == "false"
    frame.locator(".sm-measure-label").wait_for(state="detached", timeout=3_000)


def test_the_figure_download_draws_the_view_of_the_link(browser, server, tmp_path):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True
    )
    page = context.new_page()
    _open(page, f"{server}/?start=2019-12-29&end=2019-12-29")
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="This view as a figure (SVG)").click()
    path = tmp_path / "figure.svg"
    info.value.save_as(path)
    svg = path.read_text()
    context.close()
    assert info.value.suggested_filename == "strike-map-figure.svg"
    assert svg.startswith("<?xml") and "<pattern" in svg
    for text in ("Legend", "29 Dec 2019 - 29 Dec 2019", "GSHHG", " km<"):
        assert text in svg, text


@pytest.mark.parametrize("typed", ["Abu Kamal", "البوكمال"])
def test_finding_abu_kamal_moves_the_map_there(page, server, typed):
    frame = _open(page, f"{server}/?lat=33.3&lon=44.4&zoom=9")  # Baghdad
    box = page.get_by_role("combobox", name="Find a place or event")
    box.click()
    page.keyboard.type(typed)
    option = page.get_by_role("option").filter(has_text="place, SY").first
    option.wait_for(timeout=10_000)
    option.click()
    deadline = time.time() + 30
    centre = None
    while time.time() < deadline:
        centre = frame.evaluate("() => window.map && window.map.getCenter()")
        if (
            centre
            and abs(centre["lat"] - 34.45) < 0.02
            and abs(centre["lng"] - 40.92) < 0.02
        ):
            break
        time.sleep(0.5)
    assert centre and abs(centre["lat"] - 34.45) < 0.02, centre
    assert abs(centre["lng"] - 40.92) < 0.02, centre
    assert frame.evaluate("() => window.map.getZoom()") == 11


IMPACTS = ("minor", "moderate", "serious", "critical")


def _axe_counts(target) -> tuple[dict[str, int], list[str]]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(target).response["violations"]
    counts = {k: sum(v["impact"] == k for v in violations) for k in IMPACTS}
    grave = [
        f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    return counts, grave


@pytest.mark.parametrize(
    "width, scheme", [(1400, "light"), (1400, "dark"), (390, "light")]
)
def test_axe_finds_no_serious_or_critical_violation(browser, server, width, scheme):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    frame = _open(page, server)
    page_counts, page_grave = _axe_counts(page)
    map_counts, map_grave = _axe_counts(frame)
    context.close()
    print(f"axe {width}px {scheme}: page {page_counts}, map frame {map_counts}")
    assert page_grave == [] and map_grave == []


def test_web_map_outlines_zones_as_the_figure_does(page, server):
    # P3 zones (S-IQ-1, S-IQ-2) solid, P4-P5 zones (S-IQ-3, S-SY-1, S-SY-2) dashed:
    # the figure's rule (layers/figure.py) and the legend's.
    frame = _open(page, server)
    dashes = frame.eval_on_selector_all(
        '.leaflet-overlay-pane path[stroke="#b30000"]',
        "els => els.map(e => e.getAttribute('stroke-dasharray'))",
    )
    assert sorted(d or "" for d in dashes) == ["", "", "6 4", "6 4", "6 4"]

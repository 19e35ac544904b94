"""End-to-end in headless Chromium: the page with the keyboard alone, on a phone,
and axe-core during playback."""

from __future__ import annotations

import time

import pytest

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
IMPACTS = ("minor", "moderate", "serious", "critical")
#: Inside all three Iraqi strike zones (as in tests/test_browser.py).
IRAQI_ANCHOR = (34.37973, 41.06417)
ACTIVE = """() => { const e = document.activeElement;
  return e ? [e.tagName, e.className || '', e.getAttribute('aria-label') || '',
              e.textContent.trim().slice(0, 40)] : null; }"""


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


def _open(page: Page, url: str):
    page.goto(url)
    frame = map_frame(page)
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    return frame


def _tab_to(page: Page, frame, wanted, limit: int = 120) -> list:
    """Press Tab until the map frame's focused element satisfies *wanted*."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = frame.evaluate(ACTIVE)
        seen.append(active)
        if active and wanted(active):
            return seen
    raise AssertionError(f"never reached by Tab; the map frame saw {seen[-10:]}")


def test_tab_reaches_the_map_and_its_legend_and_the_keyboard_toggles_a_layer(
    browser, server
):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    frame = _open(page, server)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    _tab_to(page, frame, lambda a: "leaflet-container" in a[1])
    assert "Enter opens the card" in frame.evaluate(ACTIVE)[2]
    outline = frame.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle"
    )
    assert outline == "solid"  # the focus is visible
    _tab_to(page, frame, lambda a: a[0] == "SUMMARY" and "Legend" in a[3])
    page.keyboard.press("Enter")
    assert frame.locator(".sm-legend details").first.get_attribute("open") is not None
    _tab_to(page, frame, lambda a: a[2].startswith("Show Strike zones"))
    zones = '.leaflet-overlay-pane path[stroke="#b30000"]'
    before = frame.locator(zones).count()
    assert before > 0
    page.keyboard.press("Space")
    assert frame.locator(zones).count() == 0
    page.keyboard.press("Enter")
    assert frame.locator(zones).count() == before
    context.close()


def test_the_keyboard_opens_a_card_from_the_map(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    lat, lon = IRAQI_ANCHOR
    frame = _open(page, f"{server}/?lat={lat}&lon={lon}&zoom=11")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    _tab_to(page, frame, lambda a: "leaflet-container" in a[1])
    page.keyboard.press("Enter")  # what lies under the centre cross
    picklist = frame.locator(".sm-picklist")
    picklist.wait_for(timeout=10_000)
    assert frame.evaluate(ACTIVE)[0] == "BUTTON"  # the first choice has the focus
    page.keyboard.press("Tab")
    label = frame.evaluate(ACTIVE)[3]
    page.keyboard.press("Enter")
    card = page.locator(".card", has_text="Derivation")
    card.wait_for(timeout=30_000)
    assert label.split(":")[0] in card.inner_text()
    context.close()


def test_a_390_px_phone_shows_the_map_first_the_card_below_and_no_side_scroll(
    browser, server
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    frame = _open(page, f"{server}/?event=S-IQ-2")
    card = page.locator(".card", has_text="Derivation")
    card.wait_for(timeout=30_000)
    map_box = frame.frame_element().bounding_box()
    card_box = card.bounding_box()
    assert map_box["width"] <= 390 and map_box["x"] >= 0
    assert card_box["y"] >= map_box["y"] + map_box["height"] - 1  # below the map
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], widths
    # The map's own controls fit inside the map.
    inside = frame.evaluate(
        """() => ['.sm-legend', '.sm-views', '.leaflet-control-zoom'].map(s => {
          const r = document.querySelector(s).getBoundingClientRect();
          return r.left >= 0 && r.right <= window.innerWidth; })"""
    )
    assert inside == [True, True, True]
    context.close()


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
def test_axe_finds_no_serious_or_critical_violation_during_playback(
    browser, server, width, scheme
):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    frame = _open(page, f"{server}/?frame=2019-12-23/2019-12-29&event=S-IQ-1")
    frame.locator(".sm-status", has_text="Frame: week").wait_for(timeout=30_000)
    page_counts, page_grave = _axe_counts(page)
    map_counts, map_grave = _axe_counts(frame)
    context.close()
    print(f"axe playback {width}px {scheme}: page {page_counts}, map {map_counts}")
    assert page_grave == [] and map_grave == []

"""End-to-end in headless Chromium: time playback over the shipped catalogue."""

from __future__ import annotations

import time
from datetime import date, timedelta

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
STRIKE_WEEK = ["2019-12-23", "2019-12-29"]
FRAME_JS = "() => window.StrikeMap.state.frame && window.StrikeMap.state.frame.window"


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


def _wait_for(frame, script: str, wanted, timeout: float = 60):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = frame.evaluate(script)
        if value == wanted:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{script} gave {value!r}, not {wanted!r}")


def _markers(frame, event_id: str) -> dict:
    """The circle markers (points) and areas drawn for *event_id*, with opacity."""
    return frame.evaluate(
        """id => { const out = {points: [], areas: []};
          window.map.eachLayer(l => {
            const tip = l.getTooltip && l.getTooltip();
            const text = tip && tip.getContent() && tip.getContent().textContent;
            if (!text || !text.startsWith(id + " ")) return;
            const kind = l instanceof L.CircleMarker ? "points" : "areas";
            out[kind].push(l.options.opacity);
          });
          return out; }""",
        event_id,
    )


def test_a_link_opens_on_its_frame_and_next_keeps_the_view(page, server):
    frame = _open(page, f"{server}/?frame=2019-12-23/2019-12-29")
    _wait_for(frame, FRAME_JS, STRIKE_WEEK)
    status = frame.locator(".sm-status")
    assert "week of 2019-12-23 to 2019-12-29" in status.text_content()
    assert "7 event(s) in it" in status.text_content()
    assert _markers(frame, "ABQ-20190914")["points"] == [0.35]  # before: faded
    assert _markers(frame, "K1-20191227")["points"] == [1]  # in the week
    assert _markers(frame, "SOL-20200103") == {"points": [], "areas": []}  # later
    frame.locator(".sm-legend summary", has_text="Legend").click()
    frame.locator(".leaflet-control-zoom-out").click()
    time.sleep(1.0)
    view = frame.evaluate("[window.map.getZoom(), window.map.getCenter()]")
    frame.evaluate("window.__kept = true")
    page.get_by_role("button", name="Next frame").click()
    _wait_for(frame, FRAME_JS, ["2019-12-30", "2020-01-05"])
    # Only the data changed: the same map object, view and open legend.
    assert frame.evaluate("window.__kept === true")
    assert frame.evaluate("[window.map.getZoom(), window.map.getCenter()]") == view
    assert frame.locator(".sm-legend details").first.get_attribute("open") is not None
    assert _markers(frame, "SOL-20200103")["points"] == [1]
    assert _markers(frame, "K1-20191227")["points"] == [0.35]
    deadline = time.monotonic() + 20
    while "frame=2019-12-30" not in page.url and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (
        "frame=2019-12-30%2F2020-01-05" in page.url or "frame=2019-12-30/" in page.url
    )


def test_an_event_known_only_to_its_month_is_drawn_lighter_and_never_a_point(
    page, server
):
    frame = _open(page, f"{server}/?frame=2019-11-04/2019-11-10")
    _wait_for(frame, FRAME_JS, ["2019-11-04", "2019-11-10"])
    drawn = _markers(frame, "R-GZ-201911")  # rockets "in November 2019"
    assert drawn == {"points": [], "areas": [0.6]}
    assert _markers(frame, "R-QW-20191108")["points"] == [1]
    page.get_by_role("button", name="Next frame").click()
    _wait_for(frame, FRAME_JS, ["2019-11-11", "2019-11-17"])
    assert _markers(frame, "R-GZ-201911") == {"points": [], "areas": [0.6]}


def test_play_runs_through_the_catalogue_week_by_week_with_the_view_kept(page, server):
    frame = _open(page, f"{server}/?speed=0.5")
    frame.evaluate("window.__kept = true")
    view = frame.evaluate("[window.map.getZoom(), window.map.getCenter()]")
    page.get_by_role("button", name="Play").click()
    seen: list[list[str]] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        window = frame.evaluate(FRAME_JS)
        if window and (not seen or window != seen[-1]):
            seen.append(window)
        if window == ["2020-01-06", "2020-01-12"]:
            break
        time.sleep(0.05)
    page.get_by_role("button", name="Play").wait_for(timeout=30_000)  # stopped
    starts = [date.fromisoformat(w[0]) for w in seen]
    assert starts[0] == date(2019, 5, 6) and starts[-1] == date(2020, 1, 6)
    # Every week in turn (a frame may pass faster than it is polled, rarely).
    assert all(
        b - a >= timedelta(days=7) and (b - a).days % 7 == 0
        for a, b in zip(starts[:-1], starts[1:], strict=True)
    )
    assert len(seen) >= 0.8 * 36 and STRIKE_WEEK in seen
    assert frame.evaluate("window.__kept === true")
    assert frame.evaluate("[window.map.getZoom(), window.map.getCenter()]") == view


def test_a_bad_frame_in_the_link_falls_back_with_a_notice(page, server):
    frame = _open(page, f"{server}/?frame=2019-12-29&step=fortnight&speed=99")
    for words in ("'frame' should be two days", "'step' should be one of", "'speed'"):
        assert page.get_by_text(words).count() >= 1, words
    assert frame.evaluate(FRAME_JS) is None  # all events, no frame
    assert page.get_by_role("button", name="Play").count() == 1

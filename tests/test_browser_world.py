"""In Chromium: a world ACLED export uploaded through the sidebar takes over the page.

The user opens the page (the shipped catalogue), chooses "replace the
catalogue" and uploads the world ACLED fixture (strikes in Yemen, Ukraine,
Mali, Somalia and Lebanon). Then what they see: the heading names the file's
countries, not the 2019 strikes; the map's view buttons are the file's own;
its province-level events (ACLED geo_precision 3, class P4) are drawn as their
first-order areas with no pin; the console shows no error. The bytes the
browser received for the map and the number of first-order outlines it was
sent are printed (``-s``) and recorded in ``docs/performance.md``.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import pytest

from tests.browser_support import HAVE_CHROMIUM, SKIP_REASON

if not HAVE_CHROMIUM:
    pytest.skip(SKIP_REASON, allow_module_level=True)

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import Frame, Page, sync_playwright  # noqa: E402

from layers.catalogue import read_catalogue  # noqa: E402
from layers.catalogue.world import shipped_world  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    streamlit_server,
    warm_up,
)
from tests.test_views import ACLED  # noqa: E402

pytestmark = pytest.mark.browser

#: What the map's engine holds: each event item's shape, and the ids of the
#: pins (circle markers) drawn for events.
DRAWN = """() => {
  const s = window.StrikeMap && window.StrikeMap.state;
  if (!s) return null;
  const items = {};
  for (const i of s.items) {
    if (i.layerName !== 'events') continue;
    const b = i.geometry ? L.geoJSON(i.geometry).getBounds() : null;
    items[i.id] = {type: i.geometry ? i.geometry.type : null,
                   span: b ? Math.max(b.getNorth() - b.getSouth(),
                                      b.getEast() - b.getWest()) : 0};
  }
  const pins = [];
  s.map.eachLayer(l => {
    if (l instanceof L.CircleMarker && l.getTooltip()) {
      const c = l.getTooltip().getContent();
      pins.push(String(c.textContent || c).split(' ')[0]);
    }
  });
  return {items, pins, ready: window.StrikeMap.ready()};
}"""
BUTTONS = """() => Array.from(document.querySelectorAll('.sm-views button'))
  .map(b => b.textContent)"""


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
    with streamlit_server() as base:  # the shipped catalogue
        warm_up(browser, base)
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.responses = []
    page.ws_bytes = [0]

    def on_console(message) -> None:
        if message.type == "error":
            page.errors.append(message.text)

    def on_websocket(ws) -> None:
        def count(payload) -> None:
            page.ws_bytes[0] += len(payload)

        ws.on("framereceived", count)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("response", lambda response: page.responses.append(response))
    page.on("websocket", on_websocket)
    yield page
    context.close()


def _map_frame(page: Page, first_button: str, timeout: float = 180) -> Frame:
    """The map's frame once its buttons start with *first_button* and events show."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                buttons = frame.evaluate(BUTTONS)
                drawn = frame.evaluate(DRAWN) if buttons else None
            except PlaywrightError:  # replaced by a rerun while we looked
                continue
            if buttons and buttons[0] == first_button and drawn and drawn["items"]:
                return frame
        time.sleep(0.5)
    raise AssertionError(f"no map with a '{first_button}' button was drawn")


def _received(page: Page, since: int) -> tuple[int, int]:
    """Bytes of static map data received after response *since*, and admin-1 count."""
    total = admin1 = 0
    for response in page.responses[since:]:
        path = urlsplit(response.url).path
        if "/app/static/" not in path or not path.endswith(".json"):
            continue
        try:
            body = response.body()
        except PlaywrightError:  # a redirect or a response the page dropped
            continue
        total += len(body)
        if path.rsplit("/", 1)[-1].startswith("admin1-"):
            admin1 = max(admin1, len(json.loads(body).get("features", [])))
    return total, admin1


def test_an_uploaded_world_export_takes_over_the_page(page, server):
    events = read_catalogue(ACLED).events
    page.goto(server)
    _map_frame(page, "Strike area")  # the shipped catalogue's map first
    assert page.title() == "Strike map: 29 Dec 2019"
    page.get_by_text("replace the catalogue").click()
    before, ws_before = len(page.responses), page.ws_bytes[0]
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('input[type="file"]').set_input_files(str(ACLED))

    frame = _map_frame(page, "All events")
    heading = page.locator("h1").first.inner_text()
    assert heading.startswith("Strike map: 19 events")
    assert "Kata'ib" not in heading and "29 December 2019" not in heading
    for code in ("LBN", "MLI", "SOM", "UKR", "YEM"):
        assert code in heading
    assert page.title() == heading  # the browser tab names the catalogue too

    buttons = frame.evaluate(BUTTONS)
    assert buttons[0] == "All events"
    assert set(buttons[1:6]) == {"Lebanon", "Mali", "Somalia", "Ukraine", "Yemen"}
    assert not {"Strike area", "Iraq", "Region"} & set(buttons)

    drawn = frame.evaluate(DRAWN)
    province = events.loc[events["precision_class"] == "P4", "event_id"].tolist()
    assert len(province) == 5
    for event_id in province:  # an admin-1 area, tens of km across, no pin
        item = drawn["items"][event_id]
        assert item["type"] in ("Polygon", "MultiPolygon"), event_id
        assert item["span"] > 0.3, event_id
        assert event_id not in drawn["pins"], event_id
    assert "YEMX0001" in drawn["pins"]  # a P2 event keeps its dot
    assert page.errors == []

    static_bytes, admin1 = _received(page, before)
    ws_bytes = page.ws_bytes[0] - ws_before
    world_admin1 = len(shipped_world().admin1)
    print(
        f"\nworld upload: static map data {static_bytes / 1024:.1f} KiB, "
        f"websocket {ws_bytes / 1024:.1f} KiB, admin-1 outlines sent {admin1} "
        f"of {world_admin1}"
    )
    assert admin1 < world_admin1 / 10


def test_a_world_catalogue_sends_only_the_outlines_near_its_events(browser, page):
    with streamlit_server({"STRIKEMAP_CATALOGUE": str(ACLED)}) as base:
        warm_up(browser, base)
        start = len(page.responses)
        page.goto(base)
        frame = _map_frame(page, "All events")
        assert frame.evaluate(BUTTONS)[0] == "All events"
        time.sleep(2)  # the context files the first view asked for
        static_bytes, admin1 = _received(page, start)
    world_admin1 = len(shipped_world().admin1)
    print(
        f"\nworld catalogue: static map data {static_bytes / 1024:.1f} KiB, "
        f"websocket {page.ws_bytes[0] / 1024:.1f} KiB, admin-1 outlines sent "
        f"{admin1} of {world_admin1}"
    )
    assert 33 < admin1 < world_admin1 / 10  # the events' countries, not the world
    assert page.errors == []

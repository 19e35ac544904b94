"""In Chromium: a catalogue with hostile text in every field stays inert.

No dialog opens in the page or any frame, no element from the data appears in
any DOM, no request goes to the host the data names, while the page loads,
features are hovered and clicked, cards are opened, the timeline's tooltips
show, and when the standalone HTML is opened from a ``file:`` URL.
"""

from __future__ import annotations

import time
from urllib.parse import quote, urlsplit

import pytest

from tests.browser_support import HAVE_CHROMIUM, SKIP_REASON

if not HAVE_CHROMIUM:
    pytest.skip(SKIP_REASON, allow_module_level=True)

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from layers.catalogue import read_catalogue  # noqa: E402
from layers.map.build import build_map  # noqa: E402
from layers.page.card import LINK_WITHHELD  # noqa: E402
from layers.page.downloads import downloads  # noqa: E402
from layers.params import LayerInputs, LayerParams  # noqa: E402
from layers.registry import build_layers  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    map_frame,
    streamlit_server,
    warm_up,
)
from tests.hostile import EVIL_HOST  # noqa: E402
from tests.test_security import HOSTILE_DIR  # noqa: E402

pytestmark = pytest.mark.browser

#: Elements or attributes only a payload from the data would create.
INJECTED = """() => {
  const found = [];
  for (const e of document.querySelectorAll(
      '.pwned, [onerror], [onload], [onmouseover], img[src="x"], '
      + 'a[href^="javascript:" i], a[href^="data:" i], iframe[src^="javascript:" i]'))
    found.push(e.outerHTML.slice(0, 120));
  for (const s of document.scripts)
    if (s.textContent.trim().startsWith('alert(')) found.push(s.outerHTML);
  for (const i of document.images)
    if (i.src.includes('EVIL')) found.push(i.outerHTML);
  return found;
}""".replace("EVIL", EVIL_HOST)
#: Hover and click every interactive map feature, as Leaflet sees a user do.
POKE_FEATURES = """() => {
  const els = Array.from(document.querySelectorAll('.leaflet-interactive'));
  for (const e of els) {
    for (const type of ['mouseover', 'mousemove', 'click'])
      e.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true}));
  }
  return els.length;
}"""


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
    with streamlit_server({"STRIKEMAP_CATALOGUE": str(HOSTILE_DIR)}) as base:
        warm_up(browser, base)
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.dialogs = []
    page.requests = []

    def on_dialog(dialog) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def _assert_inert(page: Page) -> None:
    injected = []
    for frame in page.frames:
        try:
            injected += frame.evaluate(INJECTED)
        except PlaywrightError:  # a frame replaced by a rerun while we looked
            continue
    assert injected == []
    assert page.dialogs == []
    assert [u for u in page.requests if urlsplit(u).hostname == EVIL_HOST] == []


def _poke(frame) -> int:
    try:
        return frame.evaluate(POKE_FEATURES)
    except PlaywrightError:
        return 0


def _sweep(page: Page, box: dict, *, steps: int = 9, click: bool = True) -> None:
    """Hover (and click) a grid of real mouse positions over *box*.

    Features on a canvas renderer are not DOM elements, so events dispatched
    on elements do not reach them; the mouse does.
    """
    for i in range(1, steps):
        for j in range(1, steps):
            x = box["x"] + box["width"] * i / steps
            y = box["y"] + box["height"] * j / steps
            page.mouse.move(x, y)
            if click:
                page.mouse.click(x, y)


def test_page_load_and_clicks_on_features_stay_inert(page, server):
    page.goto(server)
    frame = map_frame(page)
    page.wait_for_load_state("networkidle")
    _assert_inert(page)
    assert _poke(frame) > 0
    box = page.locator("iframe[src*='streamlit_folium']").first.bounding_box()
    _sweep(page, box)
    time.sleep(1.0)
    # A click reruns the app (the card opens): look again at the new frames.
    map_frame(page)
    page.wait_for_load_state("networkidle")
    _poke(map_frame(page))
    time.sleep(1.0)
    _assert_inert(page)


def test_every_card_stays_inert_and_shows_text_literally(page, server):
    events = read_catalogue(HOSTILE_DIR).events
    for event_id in events["event_id"]:
        page.goto(f"{server}/?event={quote(event_id)}")
        card = page.locator(".card").first
        card.wait_for(timeout=60_000)
        text = card.inner_text()
        assert "{{7*7}}" in text and "<script>alert('xss-script')</script>" in text
        assert event_id in text
        # Only http(s) sources are links; the others say the link was withheld.
        assert card.locator("a[href]").count() >= 1 or LINK_WITHHELD in text
        for href in card.locator("a[href]").evaluate_all("els => els.map(e => e.href)"):
            assert href.startswith(("https://", "http://"))
        _assert_inert(page)


def test_timeline_tooltips_stay_inert(page, server):
    page.goto(f"{server}/?start=2019-12-26&end=2019-12-30")
    map_frame(page)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for(timeout=60_000)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    shown: list[str] = []
    # Sweep the chart until a mark's tooltip shows (each event has a thin lane).
    for fy in [j / 40 for j in range(2, 39)]:
        for fx in [i / 16 for i in range(1, 16)]:
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            tooltip = page.locator("#vg-tooltip-element")
            if tooltip.count() and tooltip.is_visible():
                shown.append(tooltip.inner_text())
        if any("{{7*7}}" in text for text in shown):
            break
    assert any("{{7*7}}" in text for text in shown)
    _assert_inert(page)


def test_standalone_html_from_file_stays_inert(browser, tmp_path, reference):
    catalogue = read_catalogue(HOSTILE_DIR)
    layers = build_layers(LayerInputs(reference, catalogue), LayerParams())
    item = next(
        i
        for i in downloads(layers, LayerParams(), lambda: build_map(layers))
        if i.file_name.endswith(".html")
    )
    path = tmp_path / "map.html"
    path.write_text(item.make(), encoding="utf-8")
    context = browser.new_context()
    try:
        standalone = context.new_page()
        standalone.dialogs = []
        standalone.requests = []
        standalone.on(
            "dialog",
            lambda d: (standalone.dialogs.append(d.message), d.dismiss()),
        )
        standalone.on("request", lambda r: standalone.requests.append(r.url))
        standalone.goto(path.as_uri())
        standalone.wait_for_selector(
            ".leaflet-overlay-pane path", state="attached", timeout=30_000
        )
        assert _poke(standalone.main_frame) > 0
        tooltips = []
        viewport = standalone.viewport_size or {"width": 1280, "height": 720}
        for i in range(1, 12):
            for j in range(1, 12):
                standalone.mouse.move(
                    viewport["width"] * i / 12, viewport["height"] * j / 12
                )
                tooltips += standalone.locator(".leaflet-tooltip").all_inner_texts()
        assert any("{{7*7}}" in t for t in tooltips)
        _assert_inert(standalone)
        assert all(u.startswith(("file:", "data:")) for u in standalone.requests)
    finally:
        context.close()

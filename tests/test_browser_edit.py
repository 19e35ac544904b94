"""Editing in headless Chromium: sign in over OpenID Connect, add an event, stale saves.

The page runs on a fresh PostgreSQL/PostGIS database with the shipped
catalogue; ``st.login`` signs in against the small provider of
``tests/oidc_provider.py`` on 127.0.0.1, through its sign-in form.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.browser_support import HAVE_CHROMIUM, SKIP_REASON

if not HAVE_CHROMIUM:
    pytest.skip(SKIP_REASON, allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from layers.catalogue import CATALOGUE_DIR, read_catalogue  # noqa: E402
from layers.catalogue.store.database import (  # noqa: E402
    connect,
    init_database,
    load_catalogue,
)
from layers.page.edit import PREVIEW_ID  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    streamlit_server,
)
from tests.oidc_provider import Provider, oidc_provider  # noqa: E402

pytestmark = pytest.mark.browser
ALICE = "alice@example.org"
WAIT_MS = 120_000


def _secrets(home: Path, port: int, provider: Provider) -> None:
    folder = home / ".streamlit"
    folder.mkdir(parents=True)
    (folder / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(24)}"\n'
        f'client_id = "{provider.client_id}"\n'
        f'client_secret = "{provider.client_secret}"\n'
        f'server_metadata_url = "{provider.base}/.well-known/openid-configuration"\n'
        "[strikemap]\n"
        f'editors = ["{ALICE}"]\n',
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def site(request, tmp_path) -> Iterator[tuple[str, str, Provider]]:
    url = request.getfixturevalue("database_url")
    engine = connect(url)
    init_database(engine)
    catalogue = read_catalogue(CATALOGUE_DIR)
    load_catalogue(engine, catalogue, editor="loader", reason="first load")
    engine.dispose()
    port = free_port()
    with oidc_provider() as provider:
        _secrets(tmp_path / "home", port, provider)
        env = {"HOME": str(tmp_path / "home"), "STRIKEMAP_DATABASE_URL": url}
        with streamlit_server(env, port=port) as base:
            yield base, url, provider


def _sign_in(browser: Browser, base: str) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.goto(base, timeout=WAIT_MS)
    button = page.get_by_role("button", name="Sign in to edit")
    email = page.get_by_label("E-mail")  # the provider's own page
    for _ in range(3):  # a click during a rerun can land on a replaced button
        button.click(timeout=WAIT_MS)
        try:
            email.wait_for(timeout=30_000)
            break
        except PlaywrightError:
            continue
    email.fill(ALICE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Edit as {ALICE}")).to_be_visible(timeout=WAIT_MS)
    return page


def _settle(page: Page) -> None:
    """Wait for the script run a widget change started to end."""
    time.sleep(0.4)
    running = page.locator('[data-testid="stStatusWidget"]')
    expect(running).to_have_count(0, timeout=WAIT_MS)


def _type(page: Page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    for _ in range(3):  # typed during a rerun, a value can be drawn over
        _settle(page)
        box.fill(text)
        box.press("Tab")
        _settle(page)
        time.sleep(0.5)
        kept = box.input_value()
        if kept == text or kept.replace(".00", "") == text:  # number boxes: 15.00
            return
    raise AssertionError(f"{label!r} did not keep {text!r}")


def _pick(page: Page, label: str, text: str, option: str | None = None) -> None:
    for attempt in range(3):  # a rerun can replace the list under the pointer
        _settle(page)
        page.get_by_label(label, exact=True).click()
        page.keyboard.type(text)
        try:
            page.get_by_role("option", name=option or text).first.click(timeout=20_000)
            break
        except PlaywrightError:
            page.keyboard.press("Escape")
            if attempt == 2:
                raise
    _settle(page)


def _choose(page: Page, option: str) -> None:
    """Pick a radio option, again if a rerun replaced it under the click."""
    radio = page.get_by_role("radio", name=option)
    for _ in range(3):
        _settle(page)
        page.get_by_text(option).click()
        _settle(page)
        try:
            expect(radio).to_be_checked(timeout=10_000)
            return
        except AssertionError:
            continue
    raise AssertionError(f"{option!r} did not stay chosen")


def _preview_drawn(page: Page, timeout: float = 120) -> bool:
    """Whether the map of the zone before saving gets drawn (scrolled to, as a
    reader would: Chromium may defer drawing a frame outside the viewport)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.parent_frame is None or PREVIEW_ID not in frame.content():
                    continue
                inner = frame
                while inner.parent_frame is not None:
                    inner.frame_element().scroll_into_view_if_needed(timeout=5_000)
                    inner = inner.parent_frame
                if frame.locator(".leaflet-overlay-pane path").count() > 0:
                    return True
            except PlaywrightError:  # replaced by a rerun
                continue
        time.sleep(0.5)
    return False


def _audit(url: str, event_id: str) -> list[tuple]:
    engine = connect(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT editor, reason, op FROM audit WHERE row_key = :k"
                " ORDER BY audit_id"
            ),
            {"k": event_id},
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_an_editor_signs_in_and_adds_an_event_near_al_qaim(browser, site) -> None:
    base, url, provider = site
    page = _sign_in(browser, base)
    assert provider.signed_in == [ALICE]
    _type(page, "Event id", "T-QAIM-1")
    _type(page, "Title", "Strike near Al-Qa'im")
    date = page.get_by_label("First possible date", exact=True)
    date.locator('[role="spinbutton"]').first.click()
    page.keyboard.type("20191229")
    page.keyboard.press("Tab")
    _settle(page)
    _pick(page, "Sub-event type", "Air/drone", "Air/drone strike")
    _pick(page, "Town (type to find)", "Al Qa'im", None)
    _type(page, "Within (km)", "15")
    _pick(page, "In the admin area", "Al-Anbar")
    valley = page.get_by_test_id("stCheckbox")
    valley.get_by_text("In the Euphrates River Valley").click()
    _settle(page)
    zone = page.get_by_text(
        "Zone: P3 (near a named place, or a district), radius 15 km"
    )
    expect(zone).to_be_visible(timeout=WAIT_MS)
    assert _preview_drawn(page)  # a second map, holding the zone's polygon
    assert _audit(url, "T-QAIM-1") == []  # seen before saving, not saved
    _pick(page, "Sources of this edit", "reuters-qaim")
    page.keyboard.press("Escape")
    _type(page, "Reason for this edit (kept in the history)", "report of a strike")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Event T-QAIM-1 added")).to_be_visible(timeout=WAIT_MS)
    assert _audit(url, "T-QAIM-1") == [(ALICE, "report of a strike", "insert")]


def test_two_sessions_meet_the_stale_version_refusal(browser, site) -> None:
    base, url, _ = site
    pages = [_sign_in(browser, base), _sign_in(browser, base)]
    for page, title in zip(pages, ("First title", "Second title"), strict=True):
        _pick(page, "Provenance card: click a zone or event on the map, or pick one",
              "S-IQ-2", None)  # fmt: skip
        _choose(page, "Edit or retire this event")
        _type(page, "Title", title)
        _pick(page, "Sources of this edit", "reuters-qaim")
        page.keyboard.press("Escape")
        _type(page, "Reason for this edit (kept in the history)", f"{title} fits")
    pages[0].get_by_role("button", name="Save", exact=True).click()
    saved = pages[0].get_by_text("Event S-IQ-2 saved")
    try:
        expect(saved).to_be_visible(timeout=WAIT_MS)
    except AssertionError:
        alerts = pages[0].get_by_test_id("stAlert").all_inner_texts()
        raise AssertionError(f"not saved; the page says {alerts}") from None
    pages[1].get_by_role("button", name="Save", exact=True).click()
    refusal = pages[1].get_by_text(f"S-IQ-2 was changed by {ALICE} at ")
    expect(refusal).to_be_visible(timeout=WAIT_MS)
    expect(refusal).to_contain_text("— reload")
    expect(pages[1].get_by_label("Title", exact=True)).to_have_value("Second title")
    reasons = [r[1] for r in _audit(url, "S-IQ-2")]
    assert reasons == ["first load", "First title fits"]

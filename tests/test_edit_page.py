"""The page on a real database (AppTest): viewers read only, editors edit.

Each test gets a fresh PostgreSQL/PostGIS database (tests/database_support.py)
with ``db init`` run and the shipped catalogue loaded; the page is pointed at
it with ``STRIKEMAP_DATABASE_URL``. The signed-in user is set through
``AppTest.user``, the dict the page reads as ``st.user``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from layers.catalogue import CATALOGUE_DIR, read_catalogue
from layers.catalogue.reference import read_reference
from layers.catalogue.store.database import connect, init_database, load_catalogue
from layers.page import shared
from layers.page.view import WIDGET_KEYS
from tests.conftest import ROOT
from tests.database_support import (  # noqa: F401 (fixtures)
    database_server,
    database_url,
    pg_database,
    pg_server,
)

APP = str(ROOT / "dashboard.py")
TIMEOUT = 180
ALICE = "alice@example.org"


@pytest.fixture
def loaded(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    engine = connect(database_url)
    init_database(engine)
    catalogue = read_catalogue(CATALOGUE_DIR)
    load_catalogue(engine, catalogue, editor="loader", reason="first load")
    engine.dispose()
    monkeypatch.delenv("STRIKEMAP_CATALOGUE", raising=False)
    monkeypatch.setenv("STRIKEMAP_DATABASE_URL", database_url)
    monkeypatch.setenv("STRIKEMAP_EDITORS", ALICE)
    yield database_url
    for cached in (shared.reader, shared.writer):
        cached.cache_clear()


def _audit(url: str) -> list[tuple]:
    engine = connect(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT audit_id, editor, reason, row_key FROM audit ORDER BY 1")
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _app(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if user is not None:
        at.user = user
    return at


def _edit_keys(at: AppTest) -> list[str]:
    return [
        w.key
        for kind in ("text_input", "button", "radio", "selectbox", "text_area")
        for w in at.get(kind)
        if getattr(w, "key", None) and str(w.key).startswith("edit_")
    ]


def _qaim() -> str:
    places = read_reference().places
    return str(places.index[places["name"] == "Al Qā’im"][0])


def _fill_event(at: AppTest, event_id: str = "T-1") -> AppTest:
    at.radio(key="edit_action").set_value("Add an event").run()
    at.text_input(key="edit_event_id").set_value(event_id)
    at.text_input(key="edit_title").set_value("Strike near Al-Qa'im")
    at.date_input(key="edit_date_start").set_value(date(2019, 12, 29))
    at.selectbox(key="edit_town").set_value(_qaim())
    at.number_input(key="edit_distance_km").set_value(15.0)
    at.selectbox(key="edit_admin1").set_value("Al-Anbar")
    at.checkbox(key="edit_valley").check()
    at.multiselect(key="edit_sources").set_value(["reuters-qaim"])
    at.text_area(key="edit_reason").set_value("a report placed it near Al-Qa'im")
    return at.run()


def test_a_signed_in_editor_adds_an_event_near_al_qaim(loaded: str) -> None:
    before = _audit(loaded)
    at = _fill_event(_app({"is_logged_in": True, "email": ALICE}).run())
    assert not at.exception, at.exception
    zone = [m.value for m in at.markdown if m.value.startswith("Zone: ")]
    # The class and radius come from the answers, never typed: 15 km of a
    # town is "near a named place" (P3), cut by Iraq, Al-Anbar and the valley.
    assert zone and zone[0].startswith("Zone: P3 (near a named place")
    assert "radius 15 km" in zone[0] and "Euphrates River Valley" in zone[0]
    assert not _audit(loaded)[len(before) :]  # previewed, not saved
    at.button(key="edit_save").click().run()
    # The reader's rule, shown at its field; nothing saved, nothing cleared.
    errors = [e.value for e in at.error]
    assert errors == [
        "Sub-event type: '' is not a sub-event type of the event_type; expected "
        "one of: Chemical weapon, Air/drone strike, Suicide bomb, Shelling/artillery"
        "/missile attack, Remote explosive/landmine/IED, Grenade"
    ]
    assert not _audit(loaded)[len(before) :]
    assert at.text_input(key="edit_title").value == "Strike near Al-Qa'im"
    at.selectbox(key="edit_sub_event_type").set_value("Air/drone strike").run()
    at.button(key="edit_save").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Event T-1 added"]
    added = _audit(loaded)[len(before) :]
    assert [(r[1], r[2], r[3]) for r in added] == [
        (ALICE, "a report placed it near Al-Qa'im", "T-1")
    ]
    engine = connect(loaded)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT precision_class, uncertainty_m, constraints, country, lat, lon"
                " FROM events WHERE event_id = 'T-1'"
            )
        ).one()
    engine.dispose()
    assert row[:4] == ("P3", 15000, "country:IRQ; admin1:Al-Anbar; valley", "IRQ")
    # The anchor is GeoNames' Al Qa'im (Husaybah), 34.3925 N 40.9894 E.
    assert row[4] == pytest.approx(34.3925, abs=1e-3)
    assert row[5] == pytest.approx(40.9894, abs=1e-3)

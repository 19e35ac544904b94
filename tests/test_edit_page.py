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

from geo.safe import markdown_text
from layers.catalogue import CATALOGUE_DIR, read_catalogue
from layers.catalogue.reference import read_reference
from layers.catalogue.store.database import connect, init_database, load_catalogue
from layers.page import shared
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")
TIMEOUT = 180
ALICE = "alice@example.org"


@pytest.fixture
def loaded(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    url = request.getfixturevalue("database_url")
    engine = connect(url)
    init_database(engine)
    catalogue = read_catalogue(CATALOGUE_DIR)
    load_catalogue(engine, catalogue, editor="loader", reason="first load")
    engine.dispose()
    monkeypatch.delenv("STRIKEMAP_CATALOGUE", raising=False)
    monkeypatch.setenv("STRIKEMAP_DATABASE_URL", url)
    monkeypatch.setenv("STRIKEMAP_EDITORS", ALICE)
    yield url
    shared.dispose()


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


def _edit_controls(at: AppTest) -> list[str]:
    kinds = ("text_input", "text_area", "button", "radio", "selectbox", "checkbox")
    kinds += ("number_input", "date_input", "multiselect")
    return [
        str(w.key)
        for kind in kinds
        for w in at.get(kind)
        if str(getattr(w, "key", "") or "").startswith("edit_")
    ]


@pytest.mark.parametrize(
    "user",
    [
        {"email": "test@example.com"},  # AppTest's default: not signed in
        {"is_logged_in": False, "email": ALICE},  # claims an editor's address
        {"is_logged_in": True, "email": "mallory@example.org"},  # not an editor
        {"is_logged_in": True, "email": ALICE, "email_verified": False},
    ],
)
def test_a_viewer_has_no_edit_controls_and_cannot_write(loaded: str, user) -> None:
    before = _audit(loaded)
    at = _app(user)
    # Everything a viewer's browser can send: query parameters and values
    # under the edit form's widget keys, including its Save button's.
    at.query_params.update({"edit_action": "Add an event", "edit_save": "true"})
    crafted = {"edit_action": "Add an event", "edit_event_id": "X-1"}
    crafted |= {"edit_title": "forged", "edit_reason": "forged"}
    crafted |= {"edit_sources": ["reuters-qaim"], "edit_save": True}
    for name, value in crafted.items():
        at.session_state[name] = value
    at.run()
    assert not at.exception, at.exception
    assert _edit_controls(at) == []
    at.selectbox(key="event").set_value("S-IQ-1").run()
    assert _edit_controls(at) == []
    heading = f"**History of {markdown_text('S-IQ-1')}**"
    assert heading in [m.value for m in at.markdown]
    assert _audit(loaded) == before


def test_the_readers_role_cannot_write_even_with_sql(loaded: str) -> None:
    with shared.reader(loaded).connect() as conn:
        assert conn.execute(sa.text("SELECT current_user")).scalar() == (
            "strikemap_reader"
        )
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            conn.execute(sa.text("UPDATE events SET title = 'x'"))


def _editor(event_id: str) -> AppTest:
    at = _app({"is_logged_in": True, "email": ALICE}).run()
    at.selectbox(key="event").set_value(event_id).run()
    return at.radio(key="edit_action").set_value("Edit or retire this event").run()


def test_a_stale_save_is_refused_and_keeps_the_input(loaded: str) -> None:
    first, second = _editor("S-IQ-2"), _editor("S-IQ-2")
    for at, title in ((first, "First title"), (second, "Second title")):
        at.text_input(key="edit_title").set_value(title)
        at.multiselect(key="edit_sources").set_value(["reuters-qaim"])
        at.text_area(key="edit_reason").set_value(f"{title} is better")
        at.run()
    first.button(key="edit_save").click().run()
    assert [s.value for s in first.success] == ["Event S-IQ-2 saved (version 2)"]
    second.button(key="edit_save").click().run()
    refusal = [e.value for e in second.error]
    assert len(refusal) == 1
    assert refusal[0].startswith(f"S-IQ-2 was changed by {ALICE} at ")
    assert refusal[0].endswith(" — reload")
    assert second.text_input(key="edit_title").value == "Second title"
    assert second.text_area(key="edit_reason").value == "Second title is better"
    rows = [r for r in _audit(loaded) if r[3] == "S-IQ-2"]
    assert [r[2] for r in rows] == ["first load", "First title is better"]
    # Reload takes the saved version; the next save goes through.
    second.button(key="edit_reload").click().run()
    assert second.text_input(key="edit_title").value == "First title"


def test_history_and_restore_from_the_card(loaded: str) -> None:
    at = _editor("S-SY-1")
    at.text_input(key="edit_title").set_value("Renamed")
    at.multiselect(key="edit_sources").set_value(["csis-hoffman"])
    at.text_area(key="edit_reason").set_value("rename")
    at.button(key="edit_save").click().run()
    loaded_id = [r for r in _audit(loaded) if r[3] == "S-SY-1"][0][0]
    at.radio(key="edit_action").set_value("Restore a version").run()
    at.selectbox(key="edit_audit_id").set_value(loaded_id)
    at.multiselect(key="edit_sources").set_value(["csis-hoffman"])
    at.text_area(key="edit_reason").set_value("the rename was wrong")
    at.button(key="edit_save").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith(
        f"Event S-SY-1 restored to audit row {loaded_id}"
    )
    reasons = [r[2] for r in _audit(loaded) if r[3] == "S-SY-1"]
    assert reasons == ["first load", "rename", "the rename was wrong"]
    history = at.dataframe[0].value
    assert list(history["reason"])[:2] == ["the rename was wrong", "rename"]
    assert list(history["editor"])[:2] == [ALICE, ALICE]


def test_another_sessions_edit_reaches_an_open_page(loaded: str) -> None:
    viewer = _app().run()
    viewer.selectbox(key="event").set_value("S-IQ-3").run()
    editor = _editor("S-IQ-3")
    editor.text_input(key="edit_title").set_value("Seen by everyone")
    editor.multiselect(key="edit_sources").set_value(["rt-kh"])
    editor.text_area(key="edit_reason").set_value("clearer title")
    editor.button(key="edit_save").click().run()
    viewer.run()  # the page's next run (its watcher reruns it within 5 s)
    assert "Seen by everyone" in " ".join(h.value for h in viewer.get("html"))


def test_the_database_down_at_start_is_a_page_message(
    loaded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIKEMAP_DATABASE_URL", "postgresql://ci:ci@127.0.0.1:9/x")
    at = _app().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("The shared catalogue cannot be read.")
    assert markdown_text("127.0.0.1:9") in at.error[0].value
    assert "ci:ci@" not in at.error[0].value  # the password is hidden

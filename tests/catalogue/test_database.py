"""The shared catalogue on a real PostgreSQL/PostGIS server.

Each test gets a fresh database (tests/database_support.py) with the schema
``db init`` makes and the shipped catalogue loaded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from layers.__main__ import main
from layers.catalogue import CATALOGUE_DIR, CatalogueError, read_catalogue
from layers.catalogue.store.database import (
    DatabaseError,
    connect,
    history,
    init_database,
    load_catalogue,
    read_database,
)
from layers.catalogue.store.edits import (
    EditBy,
    StaleEditError,
    add_claim,
    add_event,
    add_source,
    restore_event,
    retire_event,
    update_event,
)

ALICE = EditBy("alice", "better source for the site", ("reuters-qaim",))
BOB = EditBy("bob", "typo in the title", ("csis-hoffman",))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = connect(database_url)
    init_database(engine)
    load_catalogue(
        engine, read_catalogue(CATALOGUE_DIR), editor="loader", reason="first load"
    )
    yield engine
    engine.dispose()


def _version(engine: Engine, event_id: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                sa.text("SELECT row_version FROM events WHERE event_id = :i"),
                {"i": event_id},
            ).scalar_one()
        )


def _audit(engine: Engine, event_id: str) -> list[dict]:
    with engine.connect() as conn:
        return history(conn, "events", event_id)


def test_init_load_dump_gives_the_shipped_files_byte_for_byte(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = ["--database", database_url]
    assert main(["db", "init", *url]) == 0
    assert main(["db", "init", *url]) == 0  # idempotent
    assert main(["db", "load", str(CATALOGUE_DIR), *url]) == 0
    assert main(["db", "dump", str(tmp_path / "out"), *url]) == 0
    for name in ("events.csv", "claims.csv", "sources.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (
            CATALOGUE_DIR / name
        ).read_bytes(), name
    assert main(["db", "history", "S-IQ-1", *url]) == 0
    out = capsys.readouterr().out
    assert "26 events, 25 claims, 64 sources loaded" in out
    assert "insert by" in out and "catalogue loaded from a file" in out


def test_export_reads_the_database_like_a_catalogue(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    from_db, from_files = tmp_path / "db", tmp_path / "files"
    assert main(["export", "--database", database_url, "--out", str(from_db)]) == 0
    assert (
        main(["export", "--catalogue", str(CATALOGUE_DIR), "--out", str(from_files)])
        == 0
    )
    for path in from_files.glob("*.geojson"):  # the layers: the same features
        db_layer, file_layer = (
            json.loads((folder / path.name).read_text())
            for folder in (from_db, path.parent)
        )
        db_layer.pop("strikemap"), file_layer.pop("strikemap")
        assert db_layer == file_layer, path.name
    db_facts, file_facts = (
        json.loads((folder / "datapackage.json").read_text())["strikemap"]["catalogue"]
        for folder in (from_db, from_files)
    )
    # Same content hash and counts; only the export from the team catalogue
    # names the version (its latest audited change) it was made from.
    assert db_facts.pop("catalogue_version").startswith("audit-")
    assert file_facts.pop("catalogue_version") is None
    assert db_facts == file_facts


def test_a_load_that_breaks_a_rule_loads_nothing(engine: Engine) -> None:
    with pytest.raises(DatabaseError, match="nothing loaded.*already exists"):
        load_catalogue(engine, read_catalogue(CATALOGUE_DIR), editor="x", reason="y")
    assert len(read_database(engine).events) == 26


def test_database_down_is_a_clear_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "postgresql://nobody:secret@127.0.0.1:9/none"
    assert main(["db", "init", "--database", url]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the database" in err and "127.0.0.1:9" in err
    assert "secret" not in err and "Traceback" not in err
    assert main(["export", "--database", url, "--out", "/tmp/never"]) == 2


def test_every_edit_is_audited_with_editor_reason_and_sources(engine: Engine) -> None:
    version = update_event(
        engine,
        "S-IQ-1",
        {"title": "Strike near al-Qa'im (moved)"},
        seen_version=_version(engine, "S-IQ-1"),
        by=ALICE,
    )
    assert version == 2
    last = _audit(engine, "S-IQ-1")[-1]
    assert (last["op"], last["editor"], last["reason"]) == (
        "update",
        "alice",
        "better source for the site",
    )
    assert last["edit_sources"] == "reuters-qaim"
    assert last["old_row"]["title"].startswith("US strike on the Brigade 45")
    assert last["new_row"]["title"] == "Strike near al-Qa'im (moved)"
    assert last["new_row"]["row_version"] == 2


def test_a_raw_sql_update_bypassing_the_app_is_audited_and_versioned(
    engine: Engine,
) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE events SET notes = 'edited in psql' WHERE event_id = 'S-IQ-2'"
            )
        )
    last = _audit(engine, "S-IQ-2")[-1]
    assert last["op"] == "update" and last["editor"] == "ci" and last["reason"] is None
    assert last["new_row"]["notes"] == "edited in psql"
    assert _version(engine, "S-IQ-2") == 2
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM claims WHERE claim_id = 1"))
    with engine.connect() as conn:
        deleted = history(conn, "claims", "1")[-1]
    assert deleted["op"] == "delete" and deleted["new_row"] is None


def test_a_save_on_a_stale_version_is_refused_naming_who_changed_it(
    engine: Engine,
) -> None:
    seen = _version(engine, "S-IQ-3")  # both editors open the form at this version
    update_event(
        engine, "S-IQ-3", {"notes": "Alice's note"}, seen_version=seen, by=ALICE
    )
    with pytest.raises(StaleEditError, match=r"changed by alice at 20\d\d-.* — reload"):
        update_event(
            engine, "S-IQ-3", {"notes": "Bob's note"}, seen_version=seen, by=BOB
        )
    events = read_database(engine).events.set_index("event_id")
    assert events.loc["S-IQ-3", "notes"] == "Alice's note"
    assert [a["editor"] for a in _audit(engine, "S-IQ-3")] == ["loader", "alice"]


def test_retire_hides_an_event_and_restore_brings_an_earlier_version_back(
    engine: Engine,
) -> None:
    original = _audit(engine, "S-SY-1")[-1]["audit_id"]
    v2 = update_event(engine, "S-SY-1", {"title": "Renamed"}, seen_version=1, by=ALICE)
    v3 = retire_event(engine, "S-SY-1", seen_version=v2, by=BOB)
    assert "S-SY-1" not in set(read_database(engine).events["event_id"])
    restore_event(engine, "S-SY-1", audit_id=original, seen_version=v3, by=ALICE)
    events = read_database(engine).events.set_index("event_id")
    assert events.loc["S-SY-1", "title"].startswith("US strike in the Euphrates")
    ops = [
        (a["op"], a["editor"], a["new_row"]["retired_at"] is None)
        for a in _audit(engine, "S-SY-1")
    ]
    assert ops == [
        ("insert", "loader", True),
        ("update", "alice", True),
        ("update", "bob", False),
        ("update", "alice", True),
    ]


def test_an_edit_is_checked_by_the_reader_rules_and_needs_reason_and_source(
    engine: Engine,
) -> None:
    with pytest.raises(CatalogueError) as caught:
        update_event(engine, "S-IQ-1", {"lat": "north"}, seen_version=1, by=ALICE)
    assert caught.value.column == "lat"
    with pytest.raises(CatalogueError) as caught:
        update_event(
            engine, "S-IQ-1", {"uncertainty_m": "90000"}, seen_version=1, by=ALICE
        )
    assert caught.value.column == "uncertainty_m"
    with pytest.raises(CatalogueError, match="needs reason"):
        EditBy("alice", " ", ("csis-hoffman",))
    with pytest.raises(CatalogueError, match="at least one source"):
        EditBy("alice", "why", ())
    with pytest.raises(CatalogueError, match="'nope' is not in sources") as caught:
        update_event(
            engine, "S-IQ-1", {}, seen_version=1, by=EditBy("a", "b", ("nope",))
        )
    assert caught.value.column == "source_ids"
    assert _version(engine, "S-IQ-1") == 1


def test_the_database_holds_the_rules_for_writes_that_bypass_the_app(
    engine: Engine,
) -> None:
    bad = {
        "precision_class = 'P9'": psycopg.errors.CheckViolation,
        "uncertainty_m = 900000": psycopg.errors.CheckViolation,  # too wide for P3
        "lat = 91": psycopg.errors.CheckViolation,
        "source_ids = 'no-such-source'": psycopg.errors.ForeignKeyViolation,
        "source_ids = ' ; '": psycopg.errors.CheckViolation,
    }
    for assignment, error in bad.items():
        with pytest.raises(sa.exc.DBAPIError) as caught, engine.begin() as conn:
            conn.execute(
                sa.text(f"UPDATE events SET {assignment} WHERE event_id = 'S-IQ-1'")
            )
        assert isinstance(caught.value.orig, error), assignment
    with pytest.raises(sa.exc.DBAPIError) as caught, engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO claims (applies_to, claimant, source_ids)"
                " VALUES ('X', 'y', 'geonames')"
            )
        )
    assert isinstance(caught.value.orig, psycopg.errors.ForeignKeyViolation)
    for column, value in {
        "url": "javascript:alert(1)",
        "archive_url": "data:text/html,<script>alert(1)</script>",
        "capture_sha256": "not-a-hash",
        "retrieved": "yesterday",
    }.items():
        with pytest.raises(sa.exc.DBAPIError) as caught, engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"UPDATE sources SET {column} = :v WHERE source_id = 'geonames'"
                ),
                {"v": value},
            )
        assert isinstance(caught.value.orig, psycopg.errors.CheckViolation), column


def test_a_source_link_that_is_not_http_is_refused_at_its_column(
    engine: Engine,
) -> None:
    with pytest.raises(CatalogueError, match="column 'url'.*not an http"):
        add_source(
            engine,
            {"source_id": "bad-1", "title": "t", "url": "javascript:alert(1)"},
            by=ALICE,
        )
    assert "bad-1" not in set(read_database(engine).sources["source_id"])


def test_sql_like_text_is_stored_as_text(engine: Engine) -> None:
    hostile = "x'); DROP TABLE events; -- \" ; SELECT pg_sleep(10) /* :title %(x)s"
    add_source(
        engine,
        {
            "source_id": "hostile-1",
            "title": hostile,
            "url": "https://example.org/?q=');DROP%20TABLE%20sources;--",
        },
        by=ALICE,
    )
    update_event(
        engine,
        "S-IQ-1",
        {"title": hostile, "notes": hostile, "description": "'; DELETE FROM audit; --"},
        seen_version=1,
        by=EditBy("robert'); DROP TABLE audit;--", hostile, ("hostile-1",)),
    )
    catalogue = read_database(engine)
    event = catalogue.events.set_index("event_id").loc["S-IQ-1"]
    assert event["title"] == hostile and event["notes"] == hostile
    assert "hostile-1" in event["source_ids"]
    assert catalogue.sources.set_index("source_id").loc["hostile-1", "title"] == hostile
    last = _audit(engine, "S-IQ-1")[-1]
    assert (
        last["editor"] == "robert'); DROP TABLE audit;--" and last["reason"] == hostile
    )
    assert len(catalogue.events) == 26


def test_the_read_only_role_cannot_insert_update_or_delete(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text("GRANT strikemap_reader, strikemap_writer TO CURRENT_USER")
        )
    statements = {
        "INSERT INTO sources (source_id, title) VALUES ('r', 'r')": ("reader",),
        "UPDATE events SET title = 'r' WHERE event_id = 'S-IQ-1'": ("reader",),
        "DELETE FROM events WHERE event_id = 'S-IQ-1'": ("reader", "writer"),
        "DELETE FROM claims": ("reader", "writer"),
        "INSERT INTO audit (table_name, row_key, op, editor) VALUES ('a','b','c','')": (
            "reader",
            "writer",
        ),
        "UPDATE audit SET editor = 'nobody'": ("reader", "writer"),
    }
    for sql, roles in statements.items():
        for role in roles:
            with pytest.raises(sa.exc.DBAPIError) as caught, engine.begin() as conn:
                conn.execute(sa.text(f"SET LOCAL ROLE strikemap_{role}"))
                conn.execute(sa.text(sql))
            assert isinstance(
                caught.value.orig, psycopg.errors.InsufficientPrivilege
            ), (role, sql)
    with engine.begin() as conn:  # the writer edits, and the audit still records it
        conn.execute(sa.text("SET LOCAL ROLE strikemap_writer"))
        conn.execute(sa.text("UPDATE events SET notes = 'w' WHERE event_id = 'S-IQ-1'"))
    assert _audit(engine, "S-IQ-1")[-1]["db_user"] == "ci"
    with engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL ROLE strikemap_reader"))
        assert conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one() == 26


def test_a_connection_killed_during_a_save_leaves_nothing_half_written(
    engine: Engine,
) -> None:
    event = read_database(engine).events.iloc[0]
    row = {
        c: str(event[c])
        for c in (
            "title",
            "event_type",
            "sub_event_type",
            "country",
            "admin1",
            "location",
        )
    }
    row |= {
        "event_id": "NEW-1",
        "date_start": "2019-12-29",
        "time_precision": "1",
        "lat": str(event["lat"]),
        "lon": str(event["lon"]),
        "precision_class": "P3",
        "geo_precision": "2",
        "where_prec": "3",
        "uncertainty_m": "15000",
        "confidence": "fair",
        "source_ids": "csis-hoffman",
    }
    claim = {
        "applies_to": "NEW-1",
        "claimant": "someone",
        "killed_low": "1",
        "source_ids": "csis-hoffman",
    }
    outcome: list[BaseException] = []
    with engine.connect() as locker, locker.begin():
        locker.execute(sa.text("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE"))

        def save() -> None:
            try:
                add_event(engine, row, by=ALICE, claims=[claim])
            except BaseException as exc:  # noqa: BLE001 (reported below)
                outcome.append(exc)

        thread = threading.Thread(target=save)
        thread.start()
        waiting = None
        for _ in range(600):  # the save has inserted the event, now waits on claims
            locker.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
            waiting = locker.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()"
                    " AND query LIKE 'INSERT INTO claims%'"
                )
            ).scalar()
            if waiting:
                break
            threading.Event().wait(0.05)
        assert waiting, f"the save never reached its second statement: {outcome}"
        locker.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": waiting})
    thread.join(10)
    assert outcome and isinstance(outcome[0], DatabaseError), outcome
    assert "not saved" in str(outcome[0])
    assert "NEW-1" not in set(read_database(engine).events["event_id"])
    assert _audit(engine, "NEW-1") == []


def test_ten_concurrent_editors_on_distinct_events_lose_nothing(engine: Engine) -> None:
    ids = list(read_database(engine).events["event_id"][:10])
    errors: list[BaseException] = []

    def edit(event_id: str) -> None:
        version = 1
        try:
            for n in range(5):
                version = update_event(
                    engine,
                    event_id,
                    {"notes": f"{event_id} edit {n}"},
                    seen_version=version,
                    by=EditBy(f"editor-{event_id}", f"edit {n}", ("geonames",)),
                )
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    events = read_database(engine).events.set_index("event_id")
    for event_id in ids:
        assert events.loc[event_id, "notes"] == f"{event_id} edit 4"
        assert _version(engine, event_id) == 6
        assert len(_audit(engine, event_id)) == 6


def test_add_event_and_claim_through_the_app(engine: Engine) -> None:
    event = read_database(engine).events.set_index("event_id").loc["S-IQ-1"]
    row = {
        c: str(event[c])
        for c in (
            "title",
            "event_type",
            "sub_event_type",
            "country",
            "admin1",
            "location",
            "lat",
            "lon",
        )
    }
    row |= {
        "event_id": "NEW-2",
        "date_start": "2019-12-29",
        "time_precision": "1",
        "precision_class": "P3",
        "geo_precision": "2",
        "where_prec": "3",
        "uncertainty_m": "15000",
        "constraints": "country:IRQ; admin1:Al-Anbar",
        "confidence": "fair",
    }
    assert add_event(engine, row, by=ALICE) == 1
    claim_id = add_claim(
        engine,
        {"applies_to": "NEW-2", "claimant": "a spokesman", "killed_low": "3"},
        by=BOB,
    )
    catalogue = read_database(engine)
    assert "NEW-2" in set(catalogue.events["event_id"])
    new = catalogue.events.set_index("event_id").loc["NEW-2"]
    assert new["source_ids"] == "reuters-qaim" and len(new["claims"]) == 1
    with engine.connect() as conn:
        assert history(conn, "claims", str(claim_id))[0]["editor"] == "bob"
    with pytest.raises(CatalogueError) as caught:
        add_claim(
            engine, {"applies_to": "NEW-2", "claimant": "x", "killed_low": "-1"}, by=BOB
        )
    assert caught.value.column == "killed_low"

"""Edits to the shared catalogue: one transaction each, versions checked, audited.

No locks: each row carries a ``row_version`` (bumped by a trigger on every
update); a save names the version it was made on and is refused when the row
has moved on since, with who changed it and when. Every edit names its editor,
a reason and at least one source; the audit trigger records them with the old
and new row. Each new or changed row is checked by the reader's rules
(``validate_tables``) with the sources and claims it refers to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from layers.catalogue.check.rules import validate_tables
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.model import TABLE_COLUMNS
from layers.catalogue.store.database import (
    KEYS,
    DatabaseError,
    _reason,
    as_text,
    read_rows,
    set_editor,
    stored_columns,
)
from layers.catalogue.store.native import text_tables

T = TypeVar("T")


class StaleEditError(DatabaseError):
    """The row changed since the editor loaded it: nothing was saved."""


@dataclass(frozen=True)
class EditBy:
    """Who makes an edit, why, and on which sources.

    Raises
    ------
    CatalogueError
        For an empty editor or reason, or no source.
    """

    editor: str
    reason: str
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        for field, value in (("editor", self.editor), ("reason", self.reason)):
            if not value.strip():
                raise CatalogueError("edit", f"needs {field}", column=field)
        if not [s for s in self.sources if s.strip()]:
            raise CatalogueError(
                "edit", "needs at least one source id", column="source_ids"
            )


def _cell(frame: pd.DataFrame, column: str, index: int = 0) -> str:
    return str(frame[column].iloc[index])


def _record(frame: pd.DataFrame, index: int = 0) -> dict[str, str]:
    return {str(c): str(frame[c].iloc[index]) for c in frame.columns}


def _split(cell: str) -> list[str]:
    return [s.strip() for s in cell.split(";") if s.strip()]


def with_sources(cell: str, sources: Sequence[str]) -> str:
    """A ``source_ids`` cell with *sources* added (kept in order, no repeats)."""
    ids = _split(cell)
    ids += [s.strip() for s in sources if s.strip() and s.strip() not in ids]
    return "; ".join(ids)


def _check(
    conn: Connection, events: pd.DataFrame, claims: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Run the reader's rules over new rows with the sources they cite.

    Returns
    -------
    The rows as the reader writes them (an empty ``date_end`` filled in, ...).
    """
    cited = sorted(
        {
            s
            for cell in [*events["source_ids"], *claims["source_ids"]]
            for s in _split(cell)
        }
    )
    sources = as_text(
        read_rows(
            conn, "sources", where="source_id = ANY(:ids)", params={"ids": cited}
        ),
        "sources",
    )
    names = {"events": "event", "claims": "claim", "sources": "sources"}
    return text_tables(
        validate_tables(events, claims, sources, names=names, native=True)
    )


def _run(engine: Engine, by: EditBy, work: Callable[[Connection], T]) -> T:
    """Run *work(conn)* in one transaction; a lost connection saves nothing."""
    try:
        with engine.connect() as conn, conn.begin():
            set_editor(conn, editor=by.editor, reason=by.reason, sources=by.sources)
            return work(conn)
    except sa.exc.DBAPIError as exc:
        if exc.connection_invalidated or isinstance(exc, sa.exc.OperationalError):
            raise DatabaseError(
                f"the edit was not saved: the connection to the database was lost "
                f"({_reason(exc)})"
            ) from None
        raise DatabaseError(f"the edit was not saved: {_reason(exc)}") from None


def _stale(conn: Connection, table: str, key: str) -> StaleEditError:
    row = conn.execute(
        sa.text(
            "SELECT editor, changed_at FROM audit WHERE table_name = :t AND"
            " row_key = :k ORDER BY audit_id DESC LIMIT 1"
        ),
        {"t": table, "k": key},
    ).first()
    who, when = (row[0], f"{row[1]:%Y-%m-%d %H:%M:%S %Z}") if row else ("?", "?")
    return StaleEditError(f"{key} was changed by {who} at {when} — reload")


def _current(conn: Connection, event_id: str) -> pd.DataFrame:
    rows = read_rows(
        conn,
        "events",
        where="event_id = :id",
        params={"id": event_id},
        extra=("row_version", "retired_at"),
    )
    if rows.empty:
        raise CatalogueError("event", f"'{event_id}' is not in the catalogue")
    return rows


def _claims_of(conn: Connection, event: pd.Series) -> pd.DataFrame:
    targets = [event["event_id"], event["group_id"]]
    rows = read_rows(
        conn,
        "claims",
        where="retired_at IS NULL AND applies_to = ANY(:t)",
        params={"t": [t for t in targets if t]},
    )
    return as_text(rows, "claims")


def _assignments(columns: Sequence[str]) -> str:
    return ", ".join(f"{c} = :{c}" for c in columns)


def update_event(
    engine: Engine,
    event_id: str,
    changes: Mapping[str, str],
    *,
    seen_version: int,
    by: EditBy,
    retire: bool | None = None,
) -> int:
    """Change an event's cells if nobody changed it since *seen_version*.

    Parameters
    ----------
    engine
        The database (a role that may UPDATE).
    event_id
        The event to change.
    changes
        New cell texts by column (as in ``events.csv``).
    seen_version
        The ``row_version`` the editor's form was loaded from.
    by
        Editor, reason and sources (added to the event's ``source_ids``).
    retire
        True retires the event, False brings a retired one back, None leaves it.

    Returns
    -------
    The event's new ``row_version``.

    Raises
    ------
    StaleEditError
        The event changed since *seen_version* ("changed by NAME at TIME").
    CatalogueError
        A changed cell breaks a rule (each error names its column).
    DatabaseError
        The database refused or the connection was lost: nothing saved.
    """
    unknown = set(changes) - set(TABLE_COLUMNS["events"]) - {"event_id"}
    if unknown or "event_id" in changes:
        raise CatalogueError(
            "edit", f"cannot change {', '.join(sorted(unknown) or ['event_id'])}"
        )

    def work(conn: Connection) -> int:
        typed = _current(conn, event_id)
        if int(typed["row_version"].iloc[0]) != seen_version:
            raise _stale(conn, "events", event_id)
        row = as_text(typed, "events")
        for column, value in changes.items():
            row[column] = value
        row["source_ids"] = with_sources(_cell(row, "source_ids"), by.sources)
        row = _check(conn, row, _claims_of(conn, row.iloc[0]))["events"]
        columns = [c for c in TABLE_COLUMNS["events"] if c != "event_id"]
        params = {c: _typed(c, _cell(row, c)) for c in columns}
        retired = {None: "", True: ", retired_at = now()", False: ", retired_at = NULL"}
        sql = (
            f"UPDATE events SET {_assignments(columns)}{retired[retire]}"
            " WHERE event_id = :event_id AND row_version = :seen RETURNING row_version"
        )
        done = conn.execute(
            sa.text(sql), {**params, "event_id": event_id, "seen": seen_version}
        ).first()
        if done is None:
            raise _stale(conn, "events", event_id)
        return int(done[0])

    return _run(engine, by, work)


def _typed(column: str, value: str) -> object:
    """A cell's text as the value bound for its column (empty: NULL for numbers)."""
    numeric = {"time_precision", "geo_precision", "where_prec", "lat", "lon"}
    numeric |= {"uncertainty_m", "killed_low", "killed_high"}
    numeric |= {"wounded_low", "wounded_high", "date_start", "date_end"}
    if column in numeric:
        return value.strip() or None
    return value


def retire_event(
    engine: Engine, event_id: str, *, seen_version: int, by: EditBy
) -> int:
    """Retire an event (never delete): it leaves the map, its history stays."""
    return update_event(
        engine, event_id, {}, seen_version=seen_version, by=by, retire=True
    )


def restore_event(
    engine: Engine, event_id: str, *, audit_id: int, seen_version: int, by: EditBy
) -> int:
    """Make an event as it was after audit row *audit_id* (an audited edit)."""
    with engine.connect() as conn:
        found = conn.execute(
            sa.text(
                "SELECT new_row FROM audit WHERE audit_id = :a AND"
                " table_name = 'events' AND row_key = :k"
            ),
            {"a": audit_id, "k": event_id},
        ).first()
    if found is None or found[0] is None:
        raise CatalogueError(
            "restore", f"audit row {audit_id} holds no version of '{event_id}'"
        )
    old = pd.DataFrame([found[0]])
    text = as_text(old, "events").iloc[0]
    changes = {c: text[c] for c in TABLE_COLUMNS["events"] if c != "event_id"}
    retired = found[0].get("retired_at") is not None
    return update_event(
        engine, event_id, changes, seen_version=seen_version, by=by, retire=retired
    )


def _insert(conn: Connection, table: str, row: Mapping[str, str]) -> str:
    """Insert one row; return its key."""
    columns = list(stored_columns(table))
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)})"
        f" VALUES ({', '.join(':' + c for c in columns)}) RETURNING {KEYS[table]}"
    )
    params = {c: _typed(c, row.get(c, "")) for c in columns}
    return str(conn.execute(sa.text(sql), params).scalar_one())


def _frame(table: str, rows: Sequence[Mapping[str, str]]) -> pd.DataFrame:
    columns = stored_columns(table)
    return pd.DataFrame(
        [{c: str(r.get(c, "")) for c in columns} for r in rows], columns=columns
    )


def add_event(
    engine: Engine,
    row: Mapping[str, str],
    *,
    by: EditBy,
    claims: Sequence[Mapping[str, str]] = (),
) -> int:
    """Add an event (and claims about it) in one transaction; return its version."""
    event = _frame("events", [row])
    event["source_ids"] = with_sources(_cell(event, "source_ids"), by.sources)
    claim_rows = _frame("claims", claims)

    def work(conn: Connection) -> int:
        checked = _check(conn, event, claim_rows)
        _insert(conn, "events", _record(checked["events"]))
        for index in range(len(claim_rows)):
            _insert(conn, "claims", _record(checked["claims"], index))
        return 1

    return _run(engine, by, work)


def add_claim(engine: Engine, claim: Mapping[str, str], *, by: EditBy) -> int:
    """Add a casualty claim about an event or group; return its claim_id."""
    frame = _frame("claims", [claim])
    frame["source_ids"] = with_sources(_cell(frame, "source_ids"), by.sources)

    def work(conn: Connection) -> int:
        events = as_text(
            read_rows(
                conn,
                "events",
                where="retired_at IS NULL AND (event_id = :t OR group_id = :t)",
                params={"t": _cell(frame, "applies_to")},
            ),
            "events",
        )
        if events.empty:
            raise CatalogueError(
                "claim",
                f"'{_cell(frame, 'applies_to')}' is neither an event_id nor a "
                "group_id of the events",
                column="applies_to",
            )
        checked = _check(conn, events, frame)
        return int(_insert(conn, "claims", _record(checked["claims"])))

    return _run(engine, by, work)


def add_source(engine: Engine, source: Mapping[str, str], *, by: EditBy) -> None:
    """Add a source (checked by the rules of ``sources.csv``)."""
    frame = _frame("sources", [source])
    _validate_source(frame)
    _run(engine, by, lambda conn: _insert(conn, "sources", _record(frame)))


#: An event that passes every rule, run beside a new source so that the
#: reader's checks apply to the source alone.
_PROBE = {
    "event_id": "probe",
    "title": "probe",
    "date_start": "2019-12-29",
    "time_precision": "1",
    "country": "",
    "lat": "33.3",
    "lon": "44.4",
    "precision_class": "P6",
    "uncertainty_m": "1000",
    "confidence": "weak",
}


def _validate_source(frame: pd.DataFrame) -> None:
    """The reader's source rules, run through ``validate_tables``."""
    probe = _frame("events", [{**_PROBE, "source_ids": _cell(frame, "source_id")}])
    names = {"events": "probe", "claims": "claim", "sources": "source"}
    try:
        validate_tables(probe, _frame("claims", []), frame, names=names, native=True)
    except CatalogueErrors as exc:
        own = [e for e in exc.errors if e.path == "source"]
        if own:
            raise CatalogueErrors(own) from None

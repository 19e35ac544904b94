"""Saving an edit form: the reader's checks first, then one audited transaction.

Each function takes the form's values (:func:`layers.page.edit.form_values`)
and returns an :class:`Outcome`: what was saved, or errors keyed by the form
field to show them at (``_form`` for the form as a whole, such as a refusal
of a stale version, "changed by NAME at TIME — reload"). Nothing here clears
the form: on an error the editor's input stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from layers.catalogue.errors import CatalogueError
from layers.catalogue.model import TABLE_COLUMNS
from layers.catalogue.store import edits
from layers.catalogue.store.database import DatabaseError, history
from layers.page import edit

ANCHOR_FIELDS = ("anchor", "town", "lat", "lon", "point_name", "distance_km")
LOCATION_FIELDS = (*ANCHOR_FIELDS, "admin1", "valley")


@dataclass(frozen=True)
class Outcome:
    """What a save did: a message when saved, else errors by field."""

    saved: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def edit_by(editor: str, values: Mapping[str, Any]) -> edits.EditBy:
    """Who, why and on which sources (a CatalogueError names the field at fault)."""
    return edits.EditBy(
        editor, str(values.get("reason") or ""), tuple(values.get("sources") or ())
    )


def _attempt(work: Callable[[], str], errors: dict[str, str]) -> Outcome:
    """Run *work* unless there are *errors*; turn refusals into field errors."""
    if errors:
        return Outcome(errors=errors)
    try:
        return Outcome(saved=work())
    except DatabaseError as exc:  # stale version, lost connection, refusal
        return Outcome(errors={"_form": str(exc)})
    except CatalogueError as exc:
        return Outcome(errors=edit.field_errors(exc))


def _why(editor: str, values: Mapping[str, Any]) -> tuple[Any, dict[str, str]]:
    try:
        return edit_by(editor, values), {}
    except CatalogueError as exc:
        return None, edit.field_errors(exc)


def save_event(
    values: Mapping[str, Any],
    placed: edit.Placed,
    *,
    engine: Engine,
    editor: str,
    sources: pd.DataFrame,
    event_id: str = "",
    seen: int | None = None,
) -> Outcome:
    """Add the event (no *event_id*) or change *event_id* seen at version *seen*."""
    by, errors = _why(editor, values)
    row = edit.event_row(
        {**values, "event_id": event_id or values.get("event_id")}, placed
    )
    errors = {**placed.errors, **edit.check_event(row, sources), **errors}
    if not event_id:

        def add() -> str:
            edits.add_event(engine, row, by=by)
            return f"Event {row['event_id']} added"

        return _attempt(add, errors)
    columns = [c for c in TABLE_COLUMNS["events"] if c not in ("event_id", "group_id")]
    changes = {c: row[c] for c in columns}
    retire = True if values.get("retire") else None

    def work() -> str:
        version = edits.update_event(
            engine, event_id, changes, seen_version=int(seen or 0), by=by, retire=retire
        )
        return f"Event {event_id} saved (version {version})"

    return _attempt(work, errors)


def save_claim(
    values: Mapping[str, Any], *, engine: Engine, editor: str, event_id: str
) -> Outcome:
    """Add a casualty claim about *event_id*."""
    by, errors = _why(editor, values)
    row = edit.claim_row(values, event_id)
    return _attempt(
        lambda: f"Claim {edits.add_claim(engine, row, by=by)} added", errors
    )


def save_source(values: Mapping[str, Any], *, engine: Engine, editor: str) -> Outcome:
    """Add a source (the source is the edit's own evidence)."""
    row = edit.source_row(values)
    by, errors = _why(editor, {**values, "sources": [row["source_id"] or "?"]})

    def work() -> str:
        edits.add_source(engine, row, by=by)
        return f"Source {row['source_id']} added"

    return _attempt(work, errors)


def save_restore(
    values: Mapping[str, Any], *, engine: Engine, editor: str, event_id: str, seen: int
) -> Outcome:
    """Make *event_id* as it was after the chosen audit row (an audited edit)."""
    by, errors = _why(editor, values)
    if values.get("audit_id") is None:
        errors["audit_id"] = "pick the version to restore"

    def work() -> str:
        audit_id = int(values["audit_id"])
        version = edits.restore_event(
            engine, event_id, audit_id=audit_id, seen_version=seen, by=by
        )
        return f"Event {event_id} restored to audit row {audit_id} (version {version})"

    return _attempt(work, errors)


def event_version(engine: Engine, event_id: str) -> int | None:
    """The event's current ``row_version`` (None if it is not there)."""
    with engine.connect() as conn:
        value = conn.execute(
            sa.text("SELECT row_version FROM events WHERE event_id = :i"),
            {"i": event_id},
        ).scalar()
    return None if value is None else int(value)


def history_table(engine: Engine, event_id: str) -> pd.DataFrame:
    """The event's history, newest first, for the card."""
    with engine.connect() as conn:
        rows = history(conn, "events", event_id)
    columns = ["audit_id", "changed_at", "editor", "op", "reason", "edit_sources"]
    frame = pd.DataFrame(rows, columns=[*columns, "db_user", "old_row", "new_row"])
    return frame[columns].iloc[::-1].reset_index(drop=True)

"""The shared catalogue on PostgreSQL/PostGIS: connect, migrate, load, read, dump.

The database holds the same three tables as a catalogue folder, typed, with the
validator's rules as constraints where SQL can hold them, a ``row_version`` per
row, ``retired_at`` instead of deletion, and an ``audit`` table that a trigger
fills on every insert, update and delete (so a write that bypasses the project
is recorded too). Every statement here is parameterised; the only names put
into SQL text are the schema's own column names.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from geo.errors import StrikeMapError
from geo.safe import csv_cell
from layers.catalogue.check.rules import validate_tables
from layers.catalogue.model import (
    OPTIONAL_COLUMNS,
    TABLE_COLUMNS,
    TABLE_FILES,
    Catalogue,
)
from layers.catalogue.reference import Reference
from layers.catalogue.store.native import _float_text, text_tables

#: The environment variable holding the database URL.
DATABASE_ENV = "STRIKEMAP_DATABASE_URL"
#: The role the page reads through (SELECT only) and the role edits use.
READER_ROLE = "strikemap_reader"
WRITER_ROLE = "strikemap_writer"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Typed columns and how they come back as text.
_DATES = ("date_start", "date_end")
_FLOATS = ("lat", "lon", "uncertainty_m")
_INTS = {
    "events": ("time_precision", "geo_precision", "where_prec"),
    "claims": ("killed_low", "killed_high", "wounded_low", "wounded_high"),
    "sources": (),
}
#: Each table's key and the column that keeps the catalogue's row order.
KEYS = {"events": "event_id", "claims": "claim_id", "sources": "source_id"}
_ORDER = {"events": "seq", "claims": "claim_id", "sources": "seq"}
#: Load order: what a row refers to is loaded before it.
LOAD_ORDER = ("sources", "events", "claims")


class DatabaseError(StrikeMapError):
    """The database cannot be reached, or refused what was asked of it."""


def resolve_database_url(
    url: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str | None:
    """The database URL: *url* if given, else ``$STRIKEMAP_DATABASE_URL``, else None."""
    environ = os.environ if environ is None else environ
    return url or environ.get(DATABASE_ENV) or None


def _driver_url(url: str) -> URL:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def shown_url(url: str | URL) -> str:
    """*url* with its password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def _set_role(role: str) -> Any:
    def on_connect(dbapi_connection: Any, _record: object) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {role}")  # one of the two fixed role names
        dbapi_connection.commit()

    return on_connect


def connect(url: str, *, pool_size: int = 5, role: str | None = None) -> Engine:
    """An engine on *url*, checked by connecting once.

    With *role* (``READER_ROLE`` or ``WRITER_ROLE``) every connection of the
    pool runs ``SET ROLE`` first, so it has that role's rights and no more.

    Raises
    ------
    DatabaseError
        If the URL is not a PostgreSQL URL or the server cannot be reached,
        with the URL (password hidden) and the server's reason.
    """
    try:
        parsed = _driver_url(url)
    except sa.exc.ArgumentError as exc:
        raise DatabaseError(f"'{url}' is not a database URL ({exc})") from None
    if not parsed.drivername.startswith("postgresql"):
        raise DatabaseError(
            f"{shown_url(parsed)}: expected a postgresql:// URL (PostgreSQL 15+)"
        )
    engine = sa.create_engine(
        parsed, pool_size=pool_size, pool_pre_ping=True, future=True
    )
    if role is not None:
        if role not in (READER_ROLE, WRITER_ROLE):
            raise ValueError(f"role must be {READER_ROLE} or {WRITER_ROLE}")
        sa.event.listen(engine, "connect", _set_role(role))
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(
            f"cannot reach the database {shown_url(parsed)}: {reason}"
        ) from None
    return engine


def set_editor(
    conn: Connection, *, editor: str, reason: str, sources: Sequence[str] = ()
) -> None:
    """Name the editor, reason and sources of this transaction for the audit."""
    conn.execute(
        sa.text(
            "SELECT set_config('strikemap.editor', :e, true),"
            " set_config('strikemap.reason', :r, true),"
            " set_config('strikemap.sources', :s, true)"
        ),
        {"e": editor, "r": reason, "s": "; ".join(sources)},
    )


# --- schema -------------------------------------------------------------------


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


_ROLES = """
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{reader}') THEN
        CREATE ROLE {reader} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{writer}') THEN
        CREATE ROLE {writer} NOLOGIN;
    END IF;
END $$;
"""
_GRANTS = """
REVOKE ALL ON events, claims, sources, audit FROM PUBLIC;
GRANT SELECT ON events, claims, sources, audit TO {reader};
GRANT SELECT, INSERT, UPDATE ON events, claims, sources TO {writer};
GRANT SELECT ON audit TO {writer};
GRANT USAGE ON SEQUENCE events_seq_seq, sources_seq_seq, claims_claim_id_seq
    TO {writer};
GRANT {reader}, {writer} TO CURRENT_USER;
"""


def create_roles(engine: Engine, *, environ: Mapping[str, str] | None = None) -> str:
    """Create the read-only and writer roles and grant them their rights.

    The reader may only SELECT; the writer may SELECT, INSERT and UPDATE (no
    DELETE: rows are retired) and never write the audit table (the trigger
    does, as the owner). The connecting role becomes a member of both, so
    the page can ``SET ROLE`` to either. With ``STRIKEMAP_READER_PASSWORD`` /
    ``STRIKEMAP_WRITER_PASSWORD`` set the roles can log in with them.

    Returns
    -------
    What was done, or why not (the connecting role lacks CREATEROLE).
    """
    environ = os.environ if environ is None else environ
    names = {"reader": READER_ROLE, "writer": WRITER_ROLE}
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(_ROLES.format(**names)))
    except sa.exc.ProgrammingError as exc:
        return f"roles not created ({str(exc.orig).strip()}); ask an administrator"
    with engine.begin() as conn:
        conn.execute(sa.text(_GRANTS.format(**names)))
        for key, role in names.items():
            password = environ.get(f"STRIKEMAP_{key.upper()}_PASSWORD")
            if password:
                # ALTER ROLE takes no bind parameters: quote with the server.
                quoted = conn.execute(
                    sa.text("SELECT quote_literal(:p)"), {"p": password}
                ).scalar_one()
                conn.execute(sa.text(f"ALTER ROLE {role} LOGIN PASSWORD {quoted}"))
    return f"roles {READER_ROLE} (SELECT only) and {WRITER_ROLE} (no DELETE) ready"


def init_database(engine: Engine) -> list[str]:
    """Migrate the schema and set up the roles; return what was done."""
    migrate(engine)
    return ["schema at the latest revision", create_roles(engine)]


# --- load ---------------------------------------------------------------------


def stored_columns(key: str) -> tuple[str, ...]:
    """The columns table *key* holds: the native ones and the optional ones."""
    return (*TABLE_COLUMNS[key], *OPTIONAL_COLUMNS.get(key, ()))


def _text_columns(key: str) -> list[str]:
    typed = set(_INTS[key]) | set(_FLOATS) | set(_DATES)
    return [c for c in stored_columns(key) if c not in typed]


def copy_tables(conn: Connection, tables: Mapping[str, pd.DataFrame]) -> None:
    """Append all-string catalogue tables with COPY (empty typed cells: NULL)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        for key in LOAD_ORDER:
            columns = list(stored_columns(key))
            table = tables[key].reindex(columns=columns, fill_value="")
            data = table.to_csv(index=False, header=False)
            keep = ", ".join(_text_columns(key))
            sql = (
                f"COPY {key} ({', '.join(columns)}) FROM STDIN "
                f"WITH (FORMAT csv, FORCE_NOT_NULL ({keep}))"
            )
            with cursor.copy(sql) as copy:
                copy.write(data)


def load_catalogue(
    engine: Engine, catalogue: Catalogue, *, editor: str, reason: str
) -> dict[str, int]:
    """Add a validated catalogue's rows to the database in one transaction.

    Raises
    ------
    DatabaseError
        If the database refuses a row (an id already there, a broken rule):
        nothing is loaded.
    """
    tables = text_tables(catalogue)
    try:
        with engine.begin() as conn:
            set_editor(conn, editor=editor, reason=reason)
            copy_tables(conn, tables)
    except (sa.exc.DBAPIError, psycopg.Error) as exc:  # COPY raises psycopg's own
        raise DatabaseError(f"nothing loaded: {_reason(exc)}") from None
    return {key: len(frame) for key, frame in tables.items()}


def _reason(exc: sa.exc.DBAPIError | psycopg.Error) -> str:
    orig = getattr(exc, "orig", exc)
    if orig is None:
        return str(exc)
    lines = str(orig).strip().splitlines()
    return "; ".join(line.strip() for line in lines[:2])


# --- read ---------------------------------------------------------------------


def as_text(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Typed database rows as the all-string cells of the catalogue's CSV form."""
    out = pd.DataFrame(index=frame.index)
    for column in stored_columns(key):
        values = frame[column]
        if column in _DATES:
            text = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
            out[column] = text.fillna("").astype(object)
        elif column in _FLOATS:
            out[column] = _float_text(values.to_numpy(dtype=float))
        elif column in _INTS[key]:
            ints = values.astype("Int64").astype("str")
            out[column] = np.where(values.isna(), "", ints).astype(object)
        else:
            out[column] = values.fillna("").astype(object)
    return out.reset_index(drop=True)


def read_rows(
    conn: Connection,
    key: str,
    *,
    where: str = "retired_at IS NULL",
    params: Mapping[str, object] | None = None,
    extra: Sequence[str] = (),
) -> pd.DataFrame:
    """Rows of table *key* (typed), in catalogue order; *where* is fixed SQL."""
    columns = ", ".join([*stored_columns(key), *extra])
    sql = f"SELECT {columns} FROM {key} WHERE {where} ORDER BY {_ORDER[key]}"
    return pd.read_sql(sa.text(sql), conn, params=dict(params or {}))  # type: ignore[arg-type]


def read_text_tables(conn: Connection) -> dict[str, pd.DataFrame]:
    """The live (not retired) rows of the three tables as all-string tables.

    Read with ``COPY ... TO STDOUT`` as CSV, the server writing each cell as
    text (dates ISO, floats in their shortest exact form, NULL as empty):
    the catalogue's CSV cells without a Python step per value.
    """
    conn.execute(sa.text("SET LOCAL datestyle = 'ISO, YMD'"))
    conn.execute(sa.text("SET LOCAL extra_float_digits = 1"))
    raw = conn.connection.driver_connection
    assert raw is not None
    out = {}
    with raw.cursor() as cursor:
        for key in TABLE_COLUMNS:
            columns = ", ".join(stored_columns(key))
            sql = (
                f"COPY (SELECT {columns} FROM {key} WHERE retired_at IS NULL"
                f" ORDER BY {_ORDER[key]}) TO STDOUT WITH (FORMAT csv, HEADER)"
            )
            with cursor.copy(sql) as copy:
                data = b"".join(bytes(block) for block in copy)
            out[key] = pd.read_csv(
                io.BytesIO(data), dtype=str, keep_default_na=False, na_filter=False
            ).astype(object)
    return out


def table_names(engine: Engine) -> dict[str, str]:
    """The names errors give for rows read from the database."""
    where = shown_url(engine.url)
    return {key: f"{where} table {key}" for key in TABLE_FILES}


def read_database(engine: Engine, *, reference: Reference | None = None) -> Catalogue:
    """Read and check the catalogue held in the database.

    Raises
    ------
    DatabaseError
        If the database cannot be read.
    CatalogueError
        If its rows break a rule SQL does not hold (checked as on any read).
    """
    try:
        with engine.connect() as conn:
            tables = read_text_tables(conn)
    except (sa.exc.DBAPIError, psycopg.Error) as exc:  # COPY raises psycopg's own
        raise DatabaseError(
            f"cannot read {shown_url(engine.url)}: {_reason(exc)}"
        ) from None
    return validate_tables(
        tables["events"],
        tables["claims"],
        tables["sources"],
        names=table_names(engine),
        reference=reference,
        path=shown_url(engine.url),
        native=True,  # a shared catalogue is native: its URLs are held to http(s)
    )


def write_minimal_csv(frame: pd.DataFrame, path: Path, columns: Sequence[str]) -> Path:
    """Write an all-string table as CSV quoting only the cells that need it.

    The form of the shipped catalogue files (Python's ``csv`` dialect, LF line
    ends); cells that would run as spreadsheet formulas are protected.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    protected = frame[list(columns)].map(csv_cell)
    writer.writerows(protected.itertuples(index=False, name=None))
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def dump_database(engine: Engine, directory: Path) -> list[Path]:
    """Check the database's catalogue and write it as a folder of CSVs."""
    catalogue = read_database(engine)
    tables = text_tables(catalogue)
    directory.mkdir(parents=True, exist_ok=True)
    return [
        write_minimal_csv(
            tables[key], directory / TABLE_FILES[key], stored_columns(key)
        )
        for key in TABLE_FILES
    ]


def history(conn: Connection, table: str, key: str) -> list[dict[str, Any]]:
    """Every audit row of one row, oldest first."""
    rows = conn.execute(
        sa.text(
            "SELECT audit_id, op, editor, db_user, reason, edit_sources, changed_at,"
            " old_row, new_row FROM audit WHERE table_name = :t AND row_key = :k"
            " ORDER BY audit_id"
        ),
        {"t": table, "k": key},
    )
    return [dict(row) for row in rows.mappings()]


def latest_audit_id(conn: Connection) -> int:
    """The newest audit id (0 for none): a cache key that moves on every write."""
    value = conn.execute(sa.text("SELECT max(audit_id) FROM audit")).scalar()
    return int(value or 0)

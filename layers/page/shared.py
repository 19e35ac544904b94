"""The page on a shared database: which one, through which role, how fresh.

The page reads through ``strikemap_reader`` (SELECT only); only the edit path,
after the sign-in check (:mod:`layers.page.auth`), gets an engine on
``strikemap_writer``. The catalogue is read once per value of the audit
table's newest id, so a saved edit (from this page, another replica, or
``psql``) reaches every session at its next check.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo.errors import StrikeMapError
from geo.safe import markdown_text
from layers.catalogue import reference as reference_data
from layers.catalogue.model import Catalogue
from layers.catalogue.reference import Reference
from layers.catalogue.store.database import (
    READER_ROLE,
    WRITER_ROLE,
    DatabaseError,
    connect,
    latest_audit_id,
    read_database,
    resolve_database_url,
    shown_url,
)
from layers.page import failures, files
from layers.page.failures import Failure
from layers.params import LayerInputs

__all__ = [
    "DatabaseError",
    "DATABASE_SOURCE",
    "FRESH_EVERY_S",
    "changed",
    "database_failure",
    "database_url",
    "dispose",
    "is_database",
    "read_inputs",
    "read_source",
    "reader",
    "secrets_dict",
    "shown_source",
    "source_key",
    "writer",
]

#: How often (seconds) an open page asks whether the catalogue changed.
FRESH_EVERY_S = 5
#: The first item of a database source: the page's cache keys start with it.
DATABASE_SOURCE = "database"


def secrets_dict(secrets: Any) -> dict[str, Any]:
    """``st.secrets`` as a plain dict (empty without a ``secrets.toml``)."""
    try:
        return dict(secrets.to_dict())
    except (FileNotFoundError, KeyError):
        return {}


def database_url(
    secrets: Mapping[str, Any], *, environ: Mapping[str, str] | None = None
) -> str | None:
    """``$STRIKEMAP_DATABASE_URL``, else ``[connections.catalogue] url``, else None."""
    url = resolve_database_url(environ=environ)
    if url:
        return url
    try:
        return str(secrets["connections"]["catalogue"]["url"]) or None
    except (KeyError, TypeError):
        return None


#: One engine per (URL, role) and process, shared by every session.
_ENGINES: dict[tuple[str, str], Engine] = {}


def _engine(url: str, role: str, pool_size: int) -> Engine:
    if (url, role) not in _ENGINES:  # a failed connect is not kept: tried again
        _ENGINES[url, role] = connect(url, role=role, pool_size=pool_size)
    return _ENGINES[url, role]


def reader(url: str) -> Engine:
    """The page's read-only engine on *url* (one per process)."""
    return _engine(url, READER_ROLE, 5)


def writer(url: str) -> Engine:
    """The edit path's engine on *url*: call only after the sign-in check."""
    return _engine(url, WRITER_ROLE, 2)


def dispose() -> None:
    """Close every engine's connections (a test's database is about to go)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


def source_key(url: str) -> tuple[str, str, int, int]:
    """The page's cache key of the database catalogue: it moves with every write.

    ``(DATABASE_SOURCE, url, database oid, newest audit id)``: the audit id
    moves with every insert, update and retire; the oid tells a database
    made anew at the same URL from the one it replaced.

    Raises
    ------
    DatabaseError
        If the database cannot be reached.
    """
    engine = reader(url)
    try:
        with engine.connect() as conn:
            oid = conn.execute(
                sa.text(
                    "SELECT oid FROM pg_database WHERE datname = current_database()"
                )
            ).scalar_one()
            return DATABASE_SOURCE, url, int(oid), latest_audit_id(conn)
    except sa.exc.DBAPIError as exc:
        raise DatabaseError(
            f"cannot read {shown_url(url)}: {str(exc).splitlines()[0]}"
        ) from None


def is_database(source: tuple[object, ...]) -> bool:
    """Whether a page source names the database."""
    return bool(source) and source[0] == DATABASE_SOURCE


def read_source(source: tuple[object, ...], reference: Reference) -> Catalogue:
    """The live catalogue of a database source, checked by the reader's rules."""
    return read_database(reader(str(source[1])), reference=reference)


def read_inputs(source: tuple[object, ...], data: bytes | None) -> LayerInputs:
    """The layers' inputs from a database source or a catalogue folder/upload."""
    reference = reference_data.read_reference()  # looked up at each call
    if is_database(source):
        return LayerInputs(reference, read_source(source, reference))
    return LayerInputs(reference, files.read_source(source, data))


def changed(url: str, seen: tuple[object, ...]) -> bool:
    """Whether the database moved past *seen* (False when it cannot be asked)."""
    try:
        return source_key(url) != seen
    except DatabaseError:
        return False  # the next full run says what is wrong


def shown_source(source: tuple[object, ...]) -> str:
    """A source as messages name it (a database URL without its password)."""
    return shown_url(str(source[1])) if is_database(source) else str(source[0])


def database_failure(exc: DatabaseError) -> Failure:
    """The database is down or refuses the page's role."""
    return Failure(
        "The shared catalogue cannot be read.\n\n" + markdown_text(exc),
        "**What to do:** check that the database server is running and that the "
        "page's login role may `SET ROLE strikemap_reader` (`python -m layers db "
        "init` grants it), then reload. Without `STRIKEMAP_DATABASE_URL` the page "
        "reads the catalogue folder instead.",
    )


def open_failure(
    exc: OSError | StrikeMapError, catalogue: Path | str, static: Path
) -> Failure:
    """What the page says when the catalogue cannot be opened.

    A database that cannot be reached, a ``static/`` folder that cannot be
    written (any other ``OSError``), or catalogue files that cannot be read.
    """
    if isinstance(exc, DatabaseError):
        return database_failure(exc)
    if isinstance(exc, OSError):
        return failures.static_failure(exc, static)
    return failures.load_failure(exc, catalogue)

"""One boundary for every failure of a reader: it becomes a message, never a traceback.

Whatever reading a file raises (the project's own errors, ``BadZipFile``, a
``ValueError`` such as "day is out of range for month", a GDAL or SQLite
error, ``MemoryError``, a dead worker) leaves :func:`reading` as a
:class:`CatalogueError` naming the file and what went wrong, so that the page
shows it and the command line prints it and exits non-zero.
"""

from __future__ import annotations

import logging
import sqlite3
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from layers.catalogue.errors import CatalogueError

_LOG = logging.getLogger(__name__)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return (lines[0] if lines else type(exc).__name__)[:300]


def as_catalogue_error(exc: Exception, *, name: str) -> CatalogueError:
    """The message for *exc*, raised while reading the file *name*."""
    if isinstance(exc, CatalogueError):
        return exc
    if isinstance(exc, MemoryError):
        problem = "ran out of memory while being read; split it into smaller files"
    elif isinstance(exc, RecursionError):
        problem = "nests too deeply to be read"
    elif isinstance(exc, (zipfile.BadZipFile, zlib.error)):
        problem = f"is not a readable zip ({_first_line(exc)})"
    elif isinstance(exc, UnicodeError):
        problem = f"holds text that cannot be decoded ({_first_line(exc)})"
    elif isinstance(exc, sqlite3.Error):
        problem = f"is not a readable SQLite database ({_first_line(exc)})"
    elif isinstance(exc, OSError):
        problem = f"cannot be read ({exc.strerror or _first_line(exc)})"
    elif isinstance(exc, ValueError):
        problem = f"holds a value that cannot be read ({_first_line(exc)})"
    else:
        _LOG.debug("unexpected error reading %s", name, exc_info=exc)
        problem = (
            f"cannot be read ({type(exc).__name__}: {_first_line(exc)}); this is "
            "a fault of the reader, please report it with the file"
        )
    return CatalogueError(name, problem)


@contextmanager
def reading(name: str) -> Iterator[None]:
    """Turn anything raised inside into a :class:`CatalogueError` for *name*.

    Raises
    ------
    CatalogueError
        For every exception raised inside (``KeyboardInterrupt`` and
        ``SystemExit`` pass through).
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 (the one boundary)
        raise as_catalogue_error(exc, name=name) from None

"""Rules for the optional evidence columns of ``sources.csv``.

A source may record its canonical URL, an archived copy (Wayback Machine,
archive.today or the team's own) with its capture time, the date it was
retrieved, its publisher and language, and a local capture (PDF, screenshot,
WARC, WACZ) kept in the capture store, a ``captures/`` folder next to the
catalogue, by its SHA-256. The columns are optional; where present, each cell
is checked here (file, row and column named). Whether a capture's bytes still
match its hash is checked by ``python -m layers sources check``, not on every
open.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.safe import SAFE_URL_SCHEMES
from layers.catalogue.check.cells import Problems, Table

#: The capture store's folder name, next to the catalogue's files.
CAPTURE_DIR = "captures"
#: Largest capture kept (a WACZ of a long page is tens of megabytes).
MAX_CAPTURE_MB = 200
URL_COLUMNS = ("canonical_url", "archive_url")
_DATE = r"\d{4}-\d\d-\d\d"
_DATETIME = re.compile(rf"{_DATE}(T\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:?\d\d)?)?")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def capture_store(path: str | Path) -> Path | None:
    """The capture store of the catalogue folder *path* (None if not a folder)."""
    folder = Path(path) if path else None
    return folder / CAPTURE_DIR if folder is not None and folder.is_dir() else None


def _column(table: Table, name: str) -> pd.Series | None:
    return table.frame[name] if name in table.columns else None


def _bad_pattern(values: pd.Series, pattern: re.Pattern[str]) -> np.ndarray:
    text = values.astype(str)
    return ((text != "") & ~text.str.fullmatch(pattern.pattern)).to_numpy()


def leaves_store(name: str) -> bool:
    """True if capture file *name* is not a plain relative path inside the store."""
    if not name:
        return False
    if name.startswith(("/", "~")) or "\\" in name or re.match(r"[A-Za-z]:", name):
        return True
    return any(part in ("", ".", "..") for part in name.split("/"))


def web_address(value: str) -> bool:
    """True if *value* is an absolute http(s) URL with a host.

    Looser than :func:`geo.safe.safe_url` (which also refuses quotes and
    brackets before making a link): a native catalogue may keep such an
    address as text, never as a link.
    """
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_URL_SCHEMES and bool(parts.hostname)


#: Plain http(s) addresses :func:`web_address` accepts: a host of letters,
#: digits, dots and hyphens, then nothing or printable ASCII after ``/?#``.
_PLAIN_WEB_ADDRESS = r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9._~-]+([/?#][!-~]*)?$"


def _not_web_addresses(text: pd.Series) -> np.ndarray:
    """Non-empty cells that are not :func:`web_address`.

    A whole-column regex accepts the plain addresses; ``web_address`` runs once
    per distinct remaining cell.
    """
    array = pa.array(text, type=pa.large_string())
    plain = pc.match_substring_regex(array, _PLAIN_WEB_ADDRESS)
    bad = (text != "").to_numpy(dtype=bool) & ~plain.to_numpy(zero_copy_only=False)
    if bad.any():
        others = text[bad]
        verdict = {v: web_address(v) for v in others.unique()}
        bad[bad] = ~others.map(verdict).to_numpy(dtype=bool)
    return bad


def _check_urls(problems: Problems, table: Table, *, native: bool) -> None:
    for column in (*(("url",) if native else ()), *URL_COLUMNS):
        values = _column(table, column)
        if values is None:
            continue
        bad = _not_web_addresses(values.astype(str))
        problems.add(
            table,
            bad,
            column,
            "{value} is not an http(s) address; expected an absolute http:// or "
            "https:// URL (no javascript:, data: or relative links)",
        )


def _check_text(problems: Problems, table: Table) -> None:
    rules = (
        ("archive_captured", _DATETIME, "an ISO 8601 date or time (2020-01-02T10:00Z)"),
        ("retrieved", re.compile(_DATE), "an ISO 8601 date (2020-01-02)"),
        ("language", _LANGUAGE, "a BCP 47 language tag (en, ar, fr-CA)"),
        ("capture_sha256", _HEX64, "the SHA-256 of the capture: 64 hex digits"),
    )
    for column, pattern, expected in rules:
        values = _column(table, column)
        if values is not None:
            bad = _bad_pattern(values, pattern)
            problems.add(table, bad, column, f"{{value}} is not {expected}")
    archive, captured = (
        _column(table, "archive_url"),
        _column(table, "archive_captured"),
    )
    if captured is not None:
        orphan = (captured != "") & (archive == "" if archive is not None else True)
        problems.add(
            table,
            np.asarray(orphan, dtype=bool),
            "archive_captured",
            "a capture time without an archive_url; expected the archived copy's URL",
        )


def _check_captures(problems: Problems, table: Table, store: Path | None) -> None:
    files = _column(table, "capture_file")
    if files is None:
        return
    hashes = _column(table, "capture_sha256")
    names = files.astype(str)
    leaving = names.map(leaves_store).to_numpy(dtype=bool)
    problems.add(
        table,
        leaving,
        "capture_file",
        f"{{value}} leaves the capture store; expected a file name inside "
        f"{CAPTURE_DIR}/ (no '..', no absolute path)",
    )
    no_hash = (names != "").to_numpy() & (
        (hashes == "").to_numpy() if hashes is not None else True
    )
    problems.add(
        table,
        np.asarray(no_hash, dtype=bool),
        "capture_file",
        "a capture without capture_sha256; a capture is kept by its SHA-256",
    )
    if store is None or not store.is_dir():
        return
    limit = MAX_CAPTURE_MB * 1024 * 1024
    sizes = np.full(len(names), -1, dtype=np.int64)
    for position in np.flatnonzero((names != "").to_numpy() & ~leaving):
        path = store / names.iloc[position]
        if path.is_file() and path.resolve().is_relative_to(store.resolve()):
            sizes[position] = path.stat().st_size
        elif path.exists() or path.is_symlink():
            problems.add(
                table,
                np.array([position]),
                "capture_file",
                f"{{value}} is a link or folder leaving {CAPTURE_DIR}/; expected a "
                "file kept in the store",
            )
    problems.add(
        table,
        sizes > limit,
        "capture_file",
        f"{{value}} is over the capture size limit of {MAX_CAPTURE_MB} MB",
    )


def check_source_evidence(
    problems: Problems, table: Table, *, store: Path | None, native: bool = False
) -> None:
    """Check the evidence columns *table* (sources) has, into *problems*.

    Parameters
    ----------
    problems
        Where each problem is recorded (file, row, column).
    table
        The sources table.
    store
        The capture store folder (None: the catalogue is not a folder, so no
        capture file is looked at).
    native
        Whether the catalogue is native: its ``url`` must be http(s) too.
    """
    _check_urls(problems, table, native=native)
    _check_text(problems, table)
    _check_captures(problems, table, store)

"""Open any catalogue file by its content: ACLED, UCDP, drawn features, a zip.

The format is told from the bytes, never from the name alone: a zip is a
catalogue folder (or a KMZ), SQLite is a GeoPackage, ``{`` is GeoJSON,
``<kml`` is KML, and a CSV is ACLED or UCDP by its header. Uploads from the
page come here as bytes and are never written to disk.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pandas as pd

from layers.catalogue.archives import Unpacked, open_zip
from layers.catalogue.boundary import reading
from layers.catalogue.check.rules import validate_tables
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.importers import IMPORTERS, csv_format, features
from layers.catalogue.importers.csv_text import header_cells
from layers.catalogue.importers.native import Importer, Tables
from layers.catalogue.importers.rows import (
    FeatureError,
    read_csv_strings,
    require_columns,
)
from layers.catalogue.limits import LIMITS
from layers.catalogue.model import TABLE_COLUMNS, TABLE_FILES, Catalogue
from layers.catalogue.reference import Reference

#: The largest file the page accepts, in MB (``.streamlit/config.toml`` sets
#: ``server.maxUploadSize`` to the same): a year of ACLED events for the
#: Middle East is about 60 MB of CSV. Every limit is in ``limits.py``.
MAX_UPLOAD_MB = LIMITS.upload_mb
#: What the upload control offers (the content decides, not the extension).
UPLOAD_TYPES = ("csv", "geojson", "json", "gpkg", "kml", "kmz", "zip")
#: What an upload does to the catalogue in use.
UPLOAD_MODES = ("merge", "replace")
ZIP_MAGIC = b"PK\x03\x04"
PARQUET_MAGIC = b"PAR1"
_EXPECTED = (
    "expected an ACLED or UCDP GED CSV export, GeoJSON, GeoPackage, KML, or a "
    "zip of a catalogue folder (events.csv, claims.csv, sources.csv)"
)


def detect(data: bytes, *, name: str) -> str:
    """The format of *data*: ``acled``, ``ucdp``, ``features`` or ``zip``.

    Raises
    ------
    CatalogueError
        If the content is none of them (naming what is accepted).
    """
    if data.startswith(ZIP_MAGIC):
        return "features" if features.is_kmz(data, name=name) else "zip"
    if b"<ogrvrtdatasource" in data[:65536].lower():
        raise CatalogueError(
            name,
            "is a GDAL virtual dataset (VRT), which names other files or URLs to "
            f"read; it is never opened. {_EXPECTED[0].upper()}{_EXPECTED[1:]}",
        )
    if data.startswith(PARQUET_MAGIC):
        raise CatalogueError(
            name,
            "is a Parquet file; a Parquet catalogue is a folder holding "
            "events.parquet, claims.parquet and sources.parquet (see "
            "python -m layers convert)",
        )
    if features.looks_like(data):
        return "features"
    header = header_cells(data)
    kind = csv_format(header)
    if kind is not None:
        return kind
    if "event_id" in header and "precision_class" in header:
        raise CatalogueError(
            name,
            "is the events table of a native catalogue; open the folder, or a "
            "zip of the folder with events.csv, claims.csv and sources.csv",
        )
    raise CatalogueError(name, f"the format is not recognised; {_EXPECTED}")


def to_tables(data: bytes, *, name: str) -> Tables:
    """The native tables of a single file in any import format.

    Raises
    ------
    CatalogueError
        If the format is unknown or the file breaks it.
    """
    with reading(name):
        kind = detect(data, name=name)
        if kind == "zip":
            return _zip_tables(data, name=name)
        return IMPORTERS[kind].to_tables(data, name=name)


def read_bytes(
    data: bytes, *, name: str, reference: Reference | None = None
) -> Catalogue:
    """Read a catalogue file given as bytes (the format told by content).

    Parameters
    ----------
    data
        The file's content.
    name
        Its name, used in every message.
    reference
        The reference geodata positions are checked against (default: the
        shipped data).

    Raises
    ------
    CatalogueError
        Naming the file, row or feature, column and what was expected.
    """
    with reading(name):
        return _read_bytes(data, name=name, reference=reference)


def _read_bytes(data: bytes, *, name: str, reference: Reference | None) -> Catalogue:
    if not data:
        raise CatalogueError(name, f"the file is empty; {_EXPECTED}")
    if data.startswith(ZIP_MAGIC) and not features.is_kmz(data, name=name):
        tables, names = _zip_members(data, name=name)
        return validate_tables(
            *tables, names=names, reference=reference, path=name, native=True
        )
    kind = detect(data, name=name)
    importer = IMPORTERS[kind]
    tables = importer.to_tables(data, name=name)
    try:
        return validate_tables(
            *tables,
            names={key: f"{name} (as {key})" for key in TABLE_FILES},
            reference=reference,
            path=name,
        )
    except CatalogueErrors as exc:
        raise _in_source_terms(exc, name, importer) from None


def _in_source_terms(
    exc: CatalogueErrors, name: str, importer: Importer
) -> CatalogueErrors:
    """The native checker's problems told in the imported file's own terms.

    The file name replaces "<name> (as events)", and the column is the file's
    own (``latitude`` rather than ``lat``), the native one kept in the text.
    """
    translated: list[CatalogueError] = []
    columns = importer.original_columns
    for error in exc.errors:
        column = columns.get(error.column or "", error.column)
        problem = error.problem
        if column != error.column:
            problem += f" (as the catalogue's '{error.column}')"
        row = error.row if error.row else None
        if importer.unit == "feature" and row is not None:
            translated.append(FeatureError(name, problem, feature=row, column=column))
        else:
            translated.append(CatalogueError(name, problem, row=row, column=column))
    return CatalogueErrors(translated, total=getattr(exc, "total", None))


def read_file(path: Path, *, reference: Reference | None = None) -> Catalogue:
    """Read a catalogue file from disk (any import format).

    Raises
    ------
    CatalogueError
        If it cannot be read, naming the file and what was expected.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogueError(str(path), f"cannot be read ({exc.strerror})") from None
    return read_bytes(data, name=str(path), reference=reference)


def read_upload(name: str, data: bytes) -> Catalogue:
    """Read a file uploaded in the page (kept in memory, never written).

    Raises
    ------
    CatalogueError
        If it is larger than ``LIMITS.upload_mb`` or cannot be read: every
        failure of every reader, named (see ``boundary.reading``).
    """
    if len(data) > LIMITS.upload_bytes:
        raise CatalogueError(
            name,
            f"is {len(data) / 1024 / 1024:.0f} MB; the page takes files up to "
            f"{MAX_UPLOAD_MB} MB (use the command line for larger ones)",
        )
    return read_bytes(data, name=name)


def _zip_members(data: bytes, *, name: str) -> tuple[Tables, dict[str, str]]:
    with open_zip(data, name=name) as archive:
        members = {
            posixpath.basename(info.filename): info
            for info in archive.infolist()
            if not info.is_dir()
            and not posixpath.basename(info.filename).startswith(".")
        }
        missing = [f for f in TABLE_FILES.values() if f not in members]
        if missing:
            raise CatalogueError(
                name,
                f"the zip lacks {', '.join(missing)}; a catalogue zip holds "
                "events.csv, claims.csv and sources.csv",
            )
        unpacked = Unpacked(name=name)
        frames, names = [], {}
        for key, file_name in TABLE_FILES.items():
            info = members[file_name]
            shown = f"{name}/{info.filename}"
            frame = read_csv_strings(unpacked.read(archive, info), name=shown)
            require_columns(
                frame, TABLE_COLUMNS[key], name=shown, what=f"a catalogue {file_name}"
            )
            frames.append(frame)
            names[key] = shown
    return Tables(*frames), names


def _zip_tables(data: bytes, *, name: str) -> Tables:
    return _zip_members(data, name=name)[0]


def merge_catalogues(first: Catalogue, second: Catalogue) -> Catalogue:
    """One catalogue holding both: events, claims and sources side by side.

    A source id in both must be the same source; identical sources are kept
    once.

    Raises
    ------
    CatalogueError
        If an event id or group id is in both, or a source id names two
        different sources (each clash named, with both files).
    """
    problems = []
    both = f"both {first.path} and {second.path}"
    for column in ("event_id", "group_id"):
        ids = set(first.events[column]) & set(second.events[column]) - {""}
        ids |= (
            set(first.events["event_id"]) & set(second.events["group_id"])
            if column == "group_id"
            else set()
        )
        problems += [
            f"{column} '{i}' is in {both}; rename it in one" for i in sorted(ids)
        ]
    sources = pd.concat([first.sources, second.sources], ignore_index=True)
    distinct = sources.drop_duplicates()
    clashes = distinct["source_id"][distinct["source_id"].duplicated()]
    problems += [
        f"source_id '{i}' names different sources in {both}; rename it in one"
        for i in sorted(set(clashes))
    ]
    if problems:
        raise CatalogueError(
            second.path,
            "cannot be merged with the catalogue in use: " + "; ".join(problems[:20]),
        )
    events = pd.concat([first.events, second.events], ignore_index=True)
    return Catalogue(
        events=events.set_crs(first.events.crs, allow_override=True)
        if hasattr(events, "set_crs")
        else events,
        claims=pd.concat([first.claims, second.claims], ignore_index=True),
        sources=distinct.reset_index(drop=True),
        path=f"{first.path} + {second.path}",
    )

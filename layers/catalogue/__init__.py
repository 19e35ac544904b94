"""Readers: the only code that opens a data file; all comes out checked.

The public entry points:

- ``resolve_catalogue_path``: which catalogue to open (flag, environment, default);
- ``read_catalogue``: open any readable catalogue and return it checked;
- ``validate_tables``: check the three native tables an importer produced.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from layers.catalogue.boundary import reading
from layers.catalogue.check.rules import validate_tables
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.model import CATALOGUE_DIR, TABLE_FILES, Catalogue
from layers.catalogue.open import (
    MAX_UPLOAD_MB,
    UPLOAD_MODES,
    UPLOAD_TYPES,
    merge_catalogues,
    read_file,
    read_upload,
)
from layers.catalogue.reference import Reference
from layers.catalogue.store.native import (
    FORMATS,
    PARQUET_FILES,
    catalogue_format,
    read_csv_folder,
    read_parquet_folder,
    write_catalogue_csv,
    write_catalogue_parquet,
)

#: The environment variable that names the catalogue to open.
CATALOGUE_ENV = "STRIKEMAP_CATALOGUE"

__all__ = [
    "CATALOGUE_DIR",
    "CATALOGUE_ENV",
    "Catalogue",
    "CatalogueError",
    "CatalogueErrors",
    "FORMATS",
    "MAX_UPLOAD_MB",
    "UPLOAD_MODES",
    "UPLOAD_TYPES",
    "merge_catalogues",
    "read_catalogue",
    "read_upload",
    "read_with_upload",
    "resolve_catalogue_path",
    "validate_tables",
    "write_catalogue",
]


def resolve_catalogue_path(
    *,
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Decide which catalogue to open.

    The ``--catalogue PATH`` (or ``--catalogue=PATH``) argument wins, then the
    ``STRIKEMAP_CATALOGUE`` environment variable, then the shipped catalogue.

    Parameters
    ----------
    argv
        The command-line arguments (default: ``sys.argv[1:]``); other
        arguments are ignored.
    environ
        The environment (default: ``os.environ``).

    Returns
    -------
    The path of the catalogue (not checked: ``read_catalogue`` does that).
    """
    argv = sys.argv[1:] if argv is None else argv
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--catalogue", default=None)
    args, _ = parser.parse_known_args(list(argv))
    chosen = args.catalogue or environ.get(CATALOGUE_ENV) or CATALOGUE_DIR
    return Path(chosen)


def read_catalogue(
    path: Path | str = CATALOGUE_DIR, *, reference: Reference | None = None
) -> Catalogue:
    """Read and check the catalogue at *path*.

    What *path* holds decides the reader (by content, not by name): a folder
    with ``events.parquet`` is a Parquet catalogue, a folder with
    ``events.csv`` (etc.) a CSV catalogue, and a single file is told apart by
    its content (``layers.catalogue.open``): an ACLED or UCDP GED CSV export,
    GeoJSON, GeoPackage or KML of events, or a zip of a catalogue folder.

    Parameters
    ----------
    path
        A catalogue folder of CSVs (``events.csv``, ``claims.csv``,
        ``sources.csv``) or of Parquet tables (``events.parquet``, ...), or
        one file in an import format.
    reference
        The reference geodata positions are checked against (default: the
        shipped data).

    Returns
    -------
    The validated catalogue; events are points in EPSG:4326.

    Raises
    ------
    CatalogueError
        If anything is wrong, naming the file, row, column and what is expected;
        a ``CatalogueErrors`` (a subclass) lists every problem found.
    """
    with reading(str(path)):
        return _read_catalogue(Path(path), reference=reference)


def _read_catalogue(path: Path, *, reference: Reference | None) -> Catalogue:
    if not path.exists():
        raise CatalogueError(
            str(path),
            "not found; expected a catalogue folder holding "
            f"{', '.join(TABLE_FILES.values())}",
        )
    kind = catalogue_format(path)
    if kind == "parquet":
        return read_parquet_folder(path, reference=reference)
    if kind == "csv":
        return read_csv_folder(path, reference=reference)
    if path.is_dir():
        raise CatalogueError(
            str(path),
            "is not a catalogue folder; expected a folder holding "
            f"{', '.join(TABLE_FILES.values())} "
            f"(or {', '.join(PARQUET_FILES.values())})",
        )
    return read_file(path, reference=reference)


def write_catalogue(
    catalogue: Catalogue, directory: Path, *, fmt: str = "csv"
) -> list[Path]:
    """Write *catalogue* as a native catalogue folder.

    Parameters
    ----------
    catalogue
        A validated catalogue.
    directory
        The folder to write (created if needed; its catalogue files replaced).
    fmt
        ``"csv"`` (the editable form) or ``"parquet"`` (GeoParquet events).

    Returns
    -------
    The files written.

    Raises
    ------
    ValueError
        For an unknown *fmt*.
    OSError
        If the folder cannot be written.
    """
    if fmt == "csv":
        return write_catalogue_csv(catalogue, directory)
    if fmt == "parquet":
        return write_catalogue_parquet(catalogue, directory)
    raise ValueError(f"unknown format '{fmt}'; expected one of {', '.join(FORMATS)}")


def read_with_upload(
    path: Path | str, *, name: str, data: bytes, mode: str = "merge"
) -> Catalogue:
    """The catalogue at *path* merged with, or replaced by, an uploaded file.

    Parameters
    ----------
    path
        The catalogue in use (folder or file).
    name, data
        The uploaded file's name and content (read in memory, never written).
    mode
        ``merge`` (side by side; id clashes are errors) or ``replace``.

    Raises
    ------
    CatalogueError
        If the upload cannot be read or merged, naming the file, row or
        feature, and column.
    ValueError
        For an unknown mode.
    """
    if mode not in UPLOAD_MODES:
        raise ValueError(f"mode must be one of {', '.join(UPLOAD_MODES)}, not {mode!r}")
    uploaded = read_upload(name, data)
    if mode == "replace":
        return uploaded
    return merge_catalogues(read_catalogue(path), uploaded)

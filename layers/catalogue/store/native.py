"""The native catalogue on disk: a folder of CSVs, or of (Geo)Parquet tables.

A CSV folder holds ``events.csv``, ``claims.csv`` and ``sources.csv``: the
editable form. A Parquet folder holds ``events.parquet`` (GeoParquet: typed
columns and a point geometry), ``claims.parquet`` and ``sources.parquet``: the
fast form for large catalogues. Both are read into text cells and checked by the
same rules.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from layers.catalogue.check.rules import validate_tables
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.model import (
    OPTIONAL_COLUMNS,
    TABLE_COLUMNS,
    TABLE_FILES,
    Catalogue,
)
from layers.catalogue.reference import Reference
from layers.catalogue.store.tables import (
    read_csv_table,
    read_parquet_table,
    strings,
    write_csv_table,
    write_parquet_table,
)

#: The file of each table in a Parquet catalogue folder.
PARQUET_FILES: dict[str, str] = {
    "events": "events.parquet",
    "claims": "claims.parquet",
    "sources": "sources.parquet",
}
FORMATS = ("csv", "parquet")


def catalogue_format(path: Path) -> str | None:
    """``"csv"`` or ``"parquet"`` if *path* is a native catalogue folder, else None.

    Parameters
    ----------
    path
        A folder (anything else gives None).
    """
    if not path.is_dir():
        return None
    if (path / PARQUET_FILES["events"]).is_file():
        return "parquet"
    if any((path / name).exists() for name in TABLE_FILES.values()):
        return "csv"
    return None


def _reject_parquet_magic(path: Path, name: str) -> None:
    with path.open("rb") as handle:
        if handle.read(4) == b"PAR1":
            raise CatalogueError(
                name, "is a Parquet file, not CSV; name it .parquet or convert it"
            )


def read_csv_folder(
    directory: Path, *, reference: Reference | None = None
) -> Catalogue:
    """Read and check a catalogue folder of CSVs.

    Parameters
    ----------
    directory
        A folder holding ``events.csv``, ``claims.csv`` and ``sources.csv``.
    reference
        The reference geodata positions are checked against (default: shipped).

    Returns
    -------
    The validated catalogue.

    Raises
    ------
    CatalogueError
        Naming the file, row, column and what is expected (a
        ``CatalogueErrors`` when there are several problems).
    """
    tables = {}
    problems = []
    for key, file in TABLE_FILES.items():
        path = directory / file
        try:
            if path.is_file():
                _reject_parquet_magic(path, str(path))
            tables[key] = read_csv_table(
                path,
                TABLE_COLUMNS[key],
                name=str(path),
                optional=OPTIONAL_COLUMNS.get(key, ()),
            )
        except CatalogueErrors as exc:
            problems.extend(exc.errors)
        except CatalogueError as exc:
            problems.append(exc)
    if problems:
        raise CatalogueErrors(problems)
    names = {key: str(directory / file) for key, file in TABLE_FILES.items()}
    return validate_tables(
        **tables,
        names=names,
        reference=reference,
        path=str(directory),
        native=True,
    )


def read_parquet_folder(
    directory: Path, *, reference: Reference | None = None
) -> Catalogue:
    """Read and check a catalogue folder of Parquet tables.

    Row numbers in errors count the table's records from 1.

    Parameters
    ----------
    directory
        A folder holding ``events.parquet``, ``claims.parquet`` and
        ``sources.parquet``.
    reference
        The reference geodata positions are checked against (default: shipped).

    Returns
    -------
    The validated catalogue.

    Raises
    ------
    CatalogueError
        Naming the file, row, column and what is expected.
    """
    tables = {}
    names = {}
    problems = []
    for key, file in PARQUET_FILES.items():
        path = directory / file
        names[key] = str(path)
        try:
            table = read_parquet_table(
                path,
                TABLE_COLUMNS[key],
                name=str(path),
                optional=OPTIONAL_COLUMNS.get(key, ()),
            )
        except CatalogueError as exc:
            problems.append(exc)
            continue
        frame = strings(table, table_columns(key, table.column_names))
        frame["_row"] = np.arange(len(frame), dtype=np.int64) + 1
        tables[key] = frame
    if problems:
        raise CatalogueErrors(problems)
    return validate_tables(
        **tables,
        names=names,
        reference=reference,
        path=str(directory),
        native=True,
    )


def text_tables(catalogue: Catalogue) -> dict[str, pd.DataFrame]:
    """The catalogue as the three all-string tables of its CSV form.

    Parameters
    ----------
    catalogue
        A validated catalogue.

    Returns
    -------
    ``{"events": ..., "claims": ..., "sources": ...}``, columns per the schema.
    """
    events = catalogue.events
    out = {}
    frame = pd.DataFrame(index=range(len(events)))
    for column in TABLE_COLUMNS["events"]:
        values = events[column]
        if column in ("date_start", "date_end"):
            frame[column] = values.dt.strftime("%Y-%m-%d").to_numpy()
        elif column in ("lat", "lon", "uncertainty_m"):
            frame[column] = _float_text(values.to_numpy(dtype=float))
        else:
            frame[column] = values.astype("str").fillna("").to_numpy()
    out["events"] = frame
    claims = catalogue.claims
    out["claims"] = pd.DataFrame(
        {
            c: claims[c].astype("str").fillna("").to_numpy()
            for c in TABLE_COLUMNS["claims"]
        }
    )
    out["sources"] = pd.DataFrame(
        {
            c: catalogue.sources[c].astype("str").to_numpy()
            for c in table_columns("sources", catalogue.sources.columns)
        }
    )
    return out


def table_columns(key: str, present: Iterable[object]) -> tuple[str, ...]:
    """The schema's columns of table *key*, then its optional ones in *present*."""
    have = set(present)
    optional = (c for c in OPTIONAL_COLUMNS.get(key, ()) if c in have)
    return (*TABLE_COLUMNS[key], *optional)


def _float_text(values: np.ndarray) -> np.ndarray:
    """The shortest text that reads back as the same float."""
    return np.asarray(pa.array(values).cast(pa.string()).to_pandas(), dtype=object)


def write_catalogue_csv(catalogue: Catalogue, directory: Path) -> list[Path]:
    """Write *catalogue* as a folder of CSVs, the editable form.

    Parameters
    ----------
    catalogue
        A validated catalogue.
    directory
        The folder to write (created if needed; files in it are replaced).

    Returns
    -------
    The files written.
    """
    return write_text_tables(text_tables(catalogue), directory)


def write_text_tables(
    tables: Mapping[str, pd.DataFrame], directory: Path
) -> list[Path]:
    """Write all-string tables as a catalogue folder of CSVs.

    All catalogue CSV the project writes goes through here.
    """
    directory.mkdir(parents=True, exist_ok=True)
    return [
        write_csv_table(
            tables[key],
            directory / TABLE_FILES[key],
            table_columns(key, tables[key].columns),
        )
        for key in TABLE_FILES
    ]


def write_catalogue_parquet(catalogue: Catalogue, directory: Path) -> list[Path]:
    """Write *catalogue* as a folder of Parquet tables (events as GeoParquet).

    Parameters
    ----------
    catalogue
        A validated catalogue.
    directory
        The folder to write (created if needed; files in it are replaced).

    Returns
    -------
    The files written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    events = catalogue.events
    columns = {}
    for column in TABLE_COLUMNS["events"]:
        values = events[column]
        if column in ("date_start", "date_end"):
            columns[column] = pa.array(values.dt.date, type=pa.date32())
        elif column in ("lat", "lon", "uncertainty_m"):
            columns[column] = pa.array(values.to_numpy(dtype=float))
        elif column in ("time_precision", "geo_precision", "where_prec"):
            columns[column] = pa.array(values.astype("Int64"), type=pa.int64())
        else:
            columns[column] = pa.array(values.astype("str"), type=pa.string())
    columns["geometry"] = pa.array(shapely.to_wkb(events.geometry.values), pa.binary())
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": ["Point"],
                "crs": json.loads(events.crs.to_json()),
                "bbox": [float(v) for v in events.total_bounds],
            }
        },
    }
    table = pa.table(columns).replace_schema_metadata({"geo": json.dumps(geo)})
    claims = catalogue.claims
    claim_columns = {}
    for column in TABLE_COLUMNS["claims"]:
        values = claims[column]
        if column.endswith(("_low", "_high")):
            claim_columns[column] = pa.array(values.astype("Int64"), type=pa.int64())
        else:
            claim_columns[column] = pa.array(values.astype("str"), type=pa.string())
    sources = pa.table(
        {
            c: pa.array(catalogue.sources[c].astype("str"), type=pa.string())
            for c in table_columns("sources", catalogue.sources.columns)
        }
    )
    return [
        write_parquet_table(table, directory / PARQUET_FILES["events"]),
        write_parquet_table(
            pa.table(claim_columns), directory / PARQUET_FILES["claims"]
        ),
        write_parquet_table(sources, directory / PARQUET_FILES["sources"]),
    ]

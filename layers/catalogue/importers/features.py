"""Import events drawn as features (GeoJSON, GeoPackage, KML) into the catalogue.

GeoJSON and GeoPackage are read through GDAL (pyogrio), each by its one
driver, KML and KMZ by the project's own parser, all in a worker process held
to the limits (``layers.catalogue.isolation``); every layer of a GeoPackage
and every folder of a KML is read. Columns are matched by name,
case-insensitively, against ``COLUMNS`` (first alias found wins); what a file
lacks gets the defaults documented beside each table. A feature's own
geometry is its location:

- a point stands for the place: its class is the file's ``precision_class``,
  else the tightest class whose bound holds its ``uncertainty_m``, else P3
  with a 25 km radius (no pin: a point with no stated precision is not taken
  as a known site);
- a polygon or line is the area the event lies in; the native catalogue
  carries it as the smallest circle that holds it (Darwin Core's
  point-radius), and the class follows that radius. The shape itself is not
  kept (the native catalogue has no footprint column yet).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.catalogue.archives import open_zip
from layers.catalogue.errors import CatalogueError
from layers.catalogue.importers.dates import parse_dates
from layers.catalogue.importers.drawn import build
from layers.catalogue.importers.native import (
    Importer,
    Tables,
    to_catalogue,
)
from layers.catalogue.importers.rows import RowErrors
from layers.catalogue.isolation import read_isolated
from layers.catalogue.model import (
    ACLED_TYPES,
    CONFIDENCE_GRADES,
    PRECISION_CLASSES,
    Catalogue,
)

#: Native column <- the names a drawn file may use for it (case-insensitive,
#: first found wins). KML gives name, description, timestamp, begin and end.
COLUMNS: dict[str, tuple[str, ...]] = {
    "event_id": ("event_id", "id", "event_id_cnty", "uid"),
    "title": ("title", "name", "label"),
    "description": ("description", "desc", "summary"),
    "notes": ("notes", "note", "comment", "comments"),
    "date_start": (
        "date_start",
        "date",
        "event_date",
        "when",
        "timestamp",
        "begin",
        "start",
        "start_date",
    ),
    "date_end": ("date_end", "end", "end_date"),
    "time_precision": ("time_precision",),
    "event_type": ("event_type",),
    "sub_event_type": ("sub_event_type",),
    "attacker": ("attacker",),
    "target": ("target",),
    "target_kind": ("target_kind",),
    "group_id": ("group_id",),
    "country": ("country", "iso3", "iso_a3"),
    "admin1": ("admin1", "province", "governorate"),
    "location": ("location", "place"),
    "precision_class": ("precision_class", "precision"),
    "geo_precision": ("geo_precision",),
    "where_prec": ("where_prec",),
    "uncertainty_m": (
        "uncertainty_m",
        "coordinateuncertaintyinmeters",
        "radius_m",
        "radius",
    ),
    "uncertainty_km": ("uncertainty_km", "radius_km"),
    "constraints": ("constraints",),
    "confidence": ("confidence",),
    "source": ("source", "sources", "source_title"),
    "url": ("url", "source_url", "link"),
    "killed": ("killed", "fatalities", "deaths"),
}
#: Native column -> what it is in a drawn file (for messages); others keep
#: their native name, which is also the first alias the file may use.
ORIGINAL_COLUMNS = {
    "lat": "geometry",
    "lon": "geometry",
    "candidates": "geometry",
    "uncertainty_m": "uncertainty_m (or the drawn area)",
}
#: First bytes of each container GDAL reads here.
SQLITE_MAGIC = b"SQLite format 3\x00"


def _present(frame: pd.DataFrame, aliases: tuple[str, ...]) -> list[str]:
    lower = {str(c).lower(): c for c in frame.columns}
    return [lower[alias] for alias in aliases if alias in lower]


def vector_kind(data: bytes) -> str:
    """Which reader *data* goes to: ``gpkg``, ``kmz``, ``geojson`` or ``kml``."""
    if data.startswith(SQLITE_MAGIC):
        return "gpkg"
    if data.startswith(b"PK\x03\x04"):
        return "kmz"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "geojson" if head.startswith((b"{", b"[")) else "kml"


def _read_layers(data: bytes, name: str) -> gpd.GeoDataFrame:
    """Every feature of the file, read in a worker process (see ``isolation``)."""
    return read_isolated(vector_kind(data), data, name=name).frame


def _text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("")
    out = values.astype("string").fillna("").str.strip()
    return out.astype(str)


def _column(gdf: gpd.GeoDataFrame, native: str) -> tuple[str | None, pd.Series]:
    """The first non-empty cell among the aliases of *native*, per feature.

    Returns the name to report (the aliases found, joined by "/") and the text.
    """
    present = _present(gdf, COLUMNS[native])
    values = pd.Series("", index=gdf.index, dtype=str)
    for column in present:
        values = values.where(values != "", _text(gdf[column]))
    return ("/".join(present) or None), values


def _origin(gdf: gpd.GeoDataFrame, native: str) -> pd.Series:
    """Which alias column each feature's value of *native* came from."""
    origin = pd.Series("", index=gdf.index, dtype=str)
    for column in _present(gdf, COLUMNS[native]):
        origin = origin.where((origin != "") | (_text(gdf[column]) == ""), column)
    return origin


def _check_vocabulary(
    values: pd.Series,
    column: str | None,
    allowed: tuple[str, ...],
    problems: RowErrors,
    rows: pd.Series,
    what: str,
) -> None:
    if column is None:
        return
    bad = (values != "") & ~values.isin(allowed)
    problems.add_rows(
        bad,
        rows,
        column,
        lambda v: f"'{v}' is not {what}; expected one of: {', '.join(allowed)}",
        values,
    )


def to_tables(data: bytes, *, name: str) -> Tables:
    """The native tables of a GeoJSON, GeoPackage or KML file of events.

    Parameters
    ----------
    data
        The file's bytes.
    name
        The file name shown in messages.

    Returns
    -------
    Events, claims (a ``killed`` column, claimed by the file's source) and
    sources (the ``source`` / ``url`` of each feature, or the file itself).

    Raises
    ------
    CatalogueErrors
        Every feature that cannot become an event, by feature number (1 = the
        first) and the file's column name.
    """
    gdf = _read_layers(data, name)
    problems = RowErrors(name, unit="feature")
    rows = pd.Series(np.arange(1, len(gdf) + 1), index=gdf.index)
    cells = {native: _column(gdf, native) for native in COLUMNS}
    date_column = cells["date_start"][0]
    if date_column is None:
        raise CatalogueError(
            name,
            column="date",
            problem="has no date column; each event needs a date in one of: "
            + ", ".join(COLUMNS["date_start"])
            + " (KML: a TimeStamp or TimeSpan)",
        )
    start, end = _span(gdf, cells, date_column, rows, problems)

    geometry = gdf.geometry
    empty = geometry.isna() | geometry.is_empty
    problems.add_rows(
        empty,
        rows,
        "geometry",
        lambda v: "has no geometry; draw the event as a point or an area",
        pd.Series("", index=gdf.index),
    )

    radius, klass_given = _check_cells(cells, problems, rows)
    problems.raise_if_any()
    return build(gdf, name, cells, (start, end), radius, klass_given)


def _span(
    gdf: gpd.GeoDataFrame,
    cells: dict[str, tuple[str | None, pd.Series]],
    date_column: str,
    rows: pd.Series,
    problems: RowErrors,
) -> tuple[pd.Series, pd.Series]:
    """Start and end dates (the end is the start where none is given)."""
    date_text = cells["date_start"][1]
    start = _dates(gdf, "date_start", date_text, date_column, rows, problems)
    end_column, end_text = cells["date_end"]
    end = start.copy()
    if end_column is not None:
        given = end_text != ""
        end[given] = _dates(
            gdf[given], "date_end", end_text[given], end_column, rows[given], problems
        )
        problems.add_rows(
            end < start,
            rows,
            end_column,
            lambda v: f"'{v}' is before the start date",
            end_text,
        )
    return start, end


def _check_cells(
    cells: dict[str, tuple[str | None, pd.Series]],
    problems: RowErrors,
    rows: pd.Series,
) -> tuple[pd.Series, pd.Series]:
    """Check the coded cells; the radius (metres) and the class given."""
    klass_column, klass_given = cells["precision_class"]
    _check_vocabulary(
        klass_given,
        klass_column,
        tuple(PRECISION_CLASSES),
        problems,
        rows,
        "a precision class",
    )
    radius, radius_column = _radius(cells, problems, rows)
    type_column, event_type = cells["event_type"]
    _check_vocabulary(
        event_type,
        type_column,
        tuple(ACLED_TYPES),
        problems,
        rows,
        "an ACLED event type",
    )
    conf_column, confidence = cells["confidence"]
    _check_vocabulary(
        confidence, conf_column, CONFIDENCE_GRADES, problems, rows, "a confidence grade"
    )
    time_column, time_given = cells["time_precision"]
    _check_vocabulary(
        time_given, time_column, ("1", "2", "3"), problems, rows, "a time precision"
    )
    return radius, klass_given


def _dates(
    gdf: gpd.GeoDataFrame,
    native: str,
    text: pd.Series,
    label: str,
    rows: pd.Series,
    problems: RowErrors,
) -> pd.Series:
    """Parse dates, naming the column each came from in messages."""
    origin = _origin(gdf, native)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for column in [*origin.unique()]:
        mask = origin == column
        out[mask] = parse_dates(text[mask], rows[mask], column or label, problems)
    return out


def _radius(
    cells: dict[str, tuple[str | None, pd.Series]], problems: RowErrors, rows: pd.Series
) -> tuple[pd.Series, str | None]:
    metres = pd.Series(np.nan, index=rows.index)
    found = None
    for native, factor in (("uncertainty_m", 1.0), ("uncertainty_km", 1000.0)):
        column, text = cells[native]
        if column is None:
            continue
        found = found or column
        values = pd.to_numeric(text, errors="coerce")
        bad = (text != "") & ~(values > 0)
        problems.add_rows(
            bad,
            rows,
            column,
            lambda v: f"'{v}' is not a radius; expected a number above 0",
            text,
        )
        metres = metres.fillna(values.where(~bad) * factor)
    return metres, found


def looks_like(data: bytes) -> bool:
    """Whether *data* looks like GeoJSON, KML or a GeoPackage (by content)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(SQLITE_MAGIC) or head.startswith((b"{", b"[")):
        return True
    return head.startswith(b"<") and b"<kml" in data[:4096]


def is_kmz(data: bytes, *, name: str = "the file") -> bool:
    """Whether *data* is a zip holding a ``.kml`` (a KMZ).

    Raises
    ------
    CatalogueError
        If the zip breaks the archive limits or cannot be read (see
        ``archives.open_zip``), naming *name*.
    """
    with open_zip(data, name=name) as archive:
        return any(n.lower().endswith(".kml") for n in archive.namelist())


def read(data: bytes, *, name: str) -> Catalogue:
    """Read a GeoJSON, GeoPackage or KML file of events as a checked catalogue.

    Raises
    ------
    CatalogueError
        Naming the file, feature and column of every problem.
    """
    return to_catalogue(to_tables(data, name=name), name=name)


#: Drawn-feature files as the opener sees them.
IMPORTER = Importer(to_tables, ORIGINAL_COLUMNS, unit="feature")

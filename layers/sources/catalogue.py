"""Read and validate the event catalogue: events, casualty claims and sources (CSV)."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import Geod

from geo.crs import WGS84
from layers.sources.errors import CatalogueError
from layers.sources.schema import (
    ACLED_TYPES,
    CLAIM_COLUMNS,
    CLAIMS_FILE,
    CONFIDENCE_GRADES,
    CONSTRAINT_KINDS,
    EVENT_COLUMNS,
    EVENTS_FILE,
    PRECISION_CLASSES,
    SOURCE_COLUMNS,
    SOURCES_FILE,
    TIME_PRECISION,
    UCDP_OVER_WATER,
)

#: Re-exported for code that imports the schema from here.
__all__ = [
    "ACLED_TYPES",
    "CATALOGUE_DIR",
    "CLAIM_COLUMNS",
    "CONFIDENCE_GRADES",
    "EVENT_COLUMNS",
    "PRECISION_CLASSES",
    "SOURCE_COLUMNS",
    "TIME_PRECISION",
    "Catalogue",
    "parse_candidates",
    "parse_constraints",
    "read_catalogue_folder",
    "validate_tables",
]

#: The catalogue shipped with the project.
CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "data" / "catalogue"

_CANDIDATE = re.compile(
    r"^(?P<label>.+?)\s*@\s*(?P<lat>-?[\d.]+)\s*,\s*(?P<lon>-?[\d.]+)$"
)
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue.

    Attributes
    ----------
    events
        One point per event in EPSG:4326, with every column of ``events.csv``
        typed, plus ``sources`` and ``claims`` (lists of dicts).
    claims
        One row per casualty claim.
    sources
        One row per source.
    path
        The folder it was read from.
    """

    events: gpd.GeoDataFrame
    claims: pd.DataFrame
    sources: pd.DataFrame
    path: str


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.is_file():
        raise CatalogueError(
            str(path),
            "file not found; a catalogue folder needs "
            f"{EVENTS_FILE}, {CLAIMS_FILE} and {SOURCES_FILE}",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            str(path),
            "not a UTF-8 text file; save it as CSV (UTF-8) with a "
            f"header row: {', '.join(columns)}",
        ) from exc
    if not text.strip():
        raise CatalogueError(
            str(path), f"the file is empty; expected a header row: {', '.join(columns)}"
        )
    try:
        reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
        header = [h.strip() for h in (reader.fieldnames or [])]
        rows = list(reader)
    except csv.Error as exc:
        raise CatalogueError(str(path), f"not valid CSV ({exc})") from exc
    missing = [c for c in columns if c not in header]
    if missing:
        raise CatalogueError(
            str(path),
            f"missing column(s) {', '.join(missing)}; the header must name: "
            f"{', '.join(columns)}",
        )
    for number, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise CatalogueError(
                str(path),
                f"has a different number of cells than the header ({len(header)})",
                row=number,
            )
    return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in rows]


def _rows(
    path: Path, rows: list[dict[str, str]]
) -> Iterator[tuple[int, dict[str, str]]]:
    yield from enumerate(rows, start=2)


def _required(path: Path, row: int, record: dict[str, str], column: str) -> str:
    value = record[column]
    if not value:
        raise CatalogueError(
            str(path), "is empty; a value is required", row=row, column=column
        )
    return value


def _number(
    path: Path,
    row: int,
    record: dict[str, str],
    column: str,
    *,
    low: float | None = None,
    high: float | None = None,
    required: bool = True,
) -> float | None:
    text = record[column]
    if not text:
        if required:
            raise CatalogueError(
                str(path), "is empty; a number is required", row=row, column=column
            )
        return None
    try:
        value = float(text)
    except ValueError:
        raise CatalogueError(
            str(path), f"'{text}' is not a number", row=row, column=column
        ) from None
    if (
        not math.isfinite(value)
        or (low is not None and value < low)
        or (high is not None and value > high)
    ):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise CatalogueError(
            str(path),
            f"{text} is out of range; expected a number {bounds}",
            row=row,
            column=column,
        )
    return value


def _integer(
    path: Path, row: int, record: dict[str, str], column: str, **kwargs
) -> int | None:
    value = _number(path, row, record, column, **kwargs)
    if value is None:
        return None
    if value != int(value):
        raise CatalogueError(
            str(path), f"{record[column]} is not a whole number", row=row, column=column
        )
    return int(value)


def _date(path: Path, row: int, record: dict[str, str], column: str) -> date:
    text = record[column]
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CatalogueError(
            str(path),
            f"'{text}' is not an ISO 8601 date; expected YYYY-MM-DD",
            row=row,
            column=column,
        ) from None


def _choice(
    path: Path, row: int, record: dict[str, str], column: str, allowed: tuple
) -> str:
    value = record[column]
    if value not in allowed:
        expected = ", ".join(map(str, allowed))
        raise CatalogueError(
            str(path),
            f"'{value}' is not allowed; expected one of: {expected}",
            row=row,
            column=column,
        )
    return value


def _ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_candidates(text: str) -> list[tuple[str, float, float]]:
    """Parse ``label @ lat, lon | label @ lat, lon`` into (label, lat, lon) tuples.

    Raises
    ------
    ValueError
        If a candidate does not follow that form.
    """
    out = []
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        match = _CANDIDATE.match(part)
        if match is None:
            raise ValueError(f"'{part}' does not read as 'label @ lat, lon'")
        out.append((match["label"], float(match["lat"]), float(match["lon"])))
    return out


def parse_constraints(text: str) -> list[tuple[str, str]]:
    """Parse ``country:SYR; admin1:Dayr Az Zawr; valley`` into (kind, value) pairs.

    Raises
    ------
    ValueError
        If a constraint kind is unknown or lacks its value.
    """
    out = []
    for part in _ids(text):
        kind, _, value = (s.strip() for s in part.partition(":"))
        if kind not in CONSTRAINT_KINDS:
            raise ValueError(
                f"unknown constraint '{part}'; expected country:<ISO3>, "
                "admin1:<governorate>, valley or corridor"
            )
        if kind in ("country", "admin1") and not value:
            raise ValueError(f"constraint '{part}' needs a value, e.g. {kind}:...")
        out.append((kind, value))
    return out


def _check_unique(
    path: Path, row: int, column: str, value: str, seen: dict[str, int]
) -> None:
    if value in seen:
        raise CatalogueError(
            str(path),
            f"duplicate {column} '{value}' (first on row {seen[value]})",
            row=row,
            column=column,
        )
    seen[value] = row


def _validate_sources(path: Path, rows: list[dict[str, str]]) -> pd.DataFrame:
    seen: dict[str, int] = {}
    for row, record in _rows(path, rows):
        sid = _required(path, row, record, "source_id")
        _check_unique(path, row, "source_id", sid, seen)
        _required(path, row, record, "title")
        # A source may be known by name only (ACLED and UCDP cite outlets
        # without links): an empty url is fine, a given one must be a web address.
        url = record["url"]
        if url and not url.startswith(("http://", "https://")):
            raise CatalogueError(
                str(path),
                f"'{url}' is not a web address; expected http(s)://...",
                row=row,
                column="url",
            )
        published = record["published"]
        if published and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", published):
            raise CatalogueError(
                str(path),
                f"'{published}' is not YYYY, YYYY-MM or YYYY-MM-DD",
                row=row,
                column="published",
            )
    return pd.DataFrame(rows, columns=list(SOURCE_COLUMNS))


def _check_source_ids(
    path: Path, row: int, record: dict[str, str], known: set[str]
) -> list[str]:
    ids = _ids(_required(path, row, record, "source_ids"))
    for sid in ids:
        if sid not in known:
            raise CatalogueError(
                str(path),
                f"source '{sid}' is not in {SOURCES_FILE}; add it there or fix the id",
                row=row,
                column="source_ids",
            )
    return ids


def _validate_event(
    path: Path, row: int, record: dict[str, str], known_sources: set[str]
) -> dict[str, object]:
    out: dict[str, object] = dict(record)
    _required(path, row, record, "event_id")
    _required(path, row, record, "title")
    start = _date(path, row, record, "date_start")
    end = _date(path, row, record, "date_end") if record["date_end"] else start
    if end < start:
        raise CatalogueError(
            str(path),
            f"date_end {end} is before date_start {start}",
            row=row,
            column="date_end",
        )
    out["date_start"], out["date_end"] = pd.Timestamp(start), pd.Timestamp(end)
    out["time_precision"] = _integer(path, row, record, "time_precision", low=1, high=3)
    event_type = _choice(path, row, record, "event_type", tuple(ACLED_TYPES))
    _choice(path, row, record, "sub_event_type", ACLED_TYPES[event_type])
    country = record["country"]
    if country and not re.fullmatch(r"[A-Z]{3}", country):
        raise CatalogueError(
            str(path),
            f"'{country}' is not an ISO 3166 alpha-3 code (e.g. IRQ); "
            "leave it empty for international waters or airspace",
            row=row,
            column="country",
        )
    lat = _number(path, row, record, "lat", low=-90, high=90)
    lon = _number(path, row, record, "lon", low=-180, high=180)
    out["lat"], out["lon"] = lat, lon
    klass = _choice(path, row, record, "precision_class", tuple(PRECISION_CLASSES))
    _, acled, ucdp, max_radius = PRECISION_CLASSES[klass]
    geo_precision = _integer(
        path, row, record, "geo_precision", low=1, high=3, required=False
    )
    if geo_precision not in (acled or (None,)):
        raise CatalogueError(
            str(path),
            f"{klass} goes with ACLED geo_precision {acled or 'empty'}, "
            f"not {record['geo_precision'] or 'empty'}",
            row=row,
            column="geo_precision",
        )
    where_prec = _integer(
        path, row, record, "where_prec", low=1, high=7, required=False
    )
    if where_prec not in (*(ucdp or (None,)), UCDP_OVER_WATER):
        raise CatalogueError(
            str(path),
            f"{klass} goes with UCDP where_prec {ucdp} "
            f"(or {UCDP_OVER_WATER} over water), not {where_prec}",
            row=row,
            column="where_prec",
        )
    out["geo_precision"], out["where_prec"] = geo_precision, where_prec
    radius = _number(path, row, record, "uncertainty_m", low=1)
    if max_radius is not None and radius > max_radius:
        raise CatalogueError(
            str(path),
            f"{radius:g} m is too coarse for {klass} (at most "
            f"{max_radius:g} m); use a coarser precision class",
            row=row,
            column="uncertainty_m",
        )
    out["uncertainty_m"] = radius
    try:
        candidates = parse_candidates(record["candidates"])
    except ValueError as exc:
        raise CatalogueError(
            str(path), str(exc), row=row, column="candidates"
        ) from None
    for label, c_lat, c_lon in candidates:
        _, _, distance = _GEOD.inv(lon, lat, c_lon, c_lat)
        if distance > radius:
            raise CatalogueError(
                str(path),
                f"candidate '{label}' lies {distance / 1000:.1f} km from the point, "
                f"outside uncertainty_m ({radius / 1000:.1f} km); the uncertainty "
                "must cover every candidate position",
                row=row,
                column="uncertainty_m",
            )
    try:
        parse_constraints(record["constraints"])
    except ValueError as exc:
        raise CatalogueError(
            str(path), str(exc), row=row, column="constraints"
        ) from None
    _choice(path, row, record, "confidence", CONFIDENCE_GRADES)
    out["source_ids"] = _check_source_ids(path, row, record, known_sources)
    return out


def _validate_claims(
    path: Path, rows: list[dict[str, str]], targets: set[str], known: set[str]
) -> pd.DataFrame:
    out = []
    for row, record in _rows(path, rows):
        target = _required(path, row, record, "applies_to")
        if target not in targets:
            raise CatalogueError(
                str(path),
                f"'{target}' is neither an event_id nor a group_id of {EVENTS_FILE}",
                row=row,
                column="applies_to",
            )
        _required(path, row, record, "claimant")
        parsed: dict[str, object] = dict(record)
        for what in ("killed", "wounded"):
            low = _integer(path, row, record, f"{what}_low", low=0, required=False)
            high = _integer(path, row, record, f"{what}_high", low=0, required=False)
            if low is not None and high is not None and high < low:
                raise CatalogueError(
                    str(path),
                    f"{what}_high {high} is below {what}_low {low}",
                    row=row,
                    column=f"{what}_high",
                )
            parsed[f"{what}_low"], parsed[f"{what}_high"] = low, high
        parsed["source_ids"] = _check_source_ids(path, row, record, known)
        out.append(parsed)
    frame = pd.DataFrame(out, columns=list(CLAIM_COLUMNS))
    for column in ("killed_low", "killed_high", "wounded_low", "wounded_high"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _source_records(ids: list[str], sources: pd.DataFrame) -> list[dict[str, str]]:
    indexed = sources.set_index("source_id")
    return [
        {"id": sid, **{k: str(v) for k, v in indexed.loc[sid].items()}} for sid in ids
    ]


def read_catalogue_folder(directory: Path | str = CATALOGUE_DIR) -> Catalogue:
    """Read and validate the catalogue folder of CSVs *directory*.

    Parameters
    ----------
    directory
        A folder holding ``events.csv``, ``claims.csv`` and ``sources.csv``.

    Returns
    -------
    The validated catalogue; events are points in EPSG:4326.

    Raises
    ------
    CatalogueError
        At the first problem, naming the file, row, column and what is expected.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CatalogueError(
            str(directory),
            "is not a folder; point to the folder that holds "
            f"{EVENTS_FILE}, {CLAIMS_FILE} and {SOURCES_FILE}",
        )
    tables = {
        key: pd.DataFrame(_read_csv(directory / name, columns), columns=list(columns))
        for key, name, columns in (
            ("events", EVENTS_FILE, EVENT_COLUMNS),
            ("claims", CLAIMS_FILE, CLAIM_COLUMNS),
            ("sources", SOURCES_FILE, SOURCE_COLUMNS),
        )
    }
    names = {
        "events": str(directory / EVENTS_FILE),
        "claims": str(directory / CLAIMS_FILE),
        "sources": str(directory / SOURCES_FILE),
    }
    return validate_tables(**tables, names=names, path=str(directory))


def validate_tables(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    names: Mapping[str, str],
    path: str = "",
) -> Catalogue:
    """Check the three native tables and join them into a catalogue.

    Parameters
    ----------
    events, claims, sources
        The tables as all-string frames with the columns of the schema.
    names
        The file name to show in errors for ``events``, ``claims``, ``sources``.
    path
        Where the catalogue came from (kept on the result).

    Returns
    -------
    The validated catalogue.

    Raises
    ------
    CatalogueError
        Naming the file, row, column and what is expected.
    """
    sources_path = Path(names["sources"])
    sources = _validate_sources(sources_path, sources.to_dict("records"))
    known = set(sources["source_id"])

    events_path = Path(names["events"])
    event_rows = events.to_dict("records")
    if not event_rows:
        raise CatalogueError(str(events_path), "has a header but no events")
    seen: dict[str, int] = {}
    records = []
    for row, record in _rows(events_path, event_rows):
        _check_unique(events_path, row, "event_id", record["event_id"], seen)
        records.append(_validate_event(events_path, row, record, known))

    claims_path = Path(names["claims"])
    targets = set(seen) | {r["group_id"] for r in event_rows if r["group_id"]}
    claims = _validate_claims(claims_path, claims.to_dict("records"), targets, known)

    frame = pd.DataFrame(records, columns=list(EVENT_COLUMNS))
    frame["sources"] = [_source_records(ids, sources) for ids in frame["source_ids"]]
    frame["source_ids"] = ["; ".join(ids) for ids in frame["source_ids"]]
    frame["claims"] = [
        _claims_for(event_id, group_id, claims)
        for event_id, group_id in zip(frame["event_id"], frame["group_id"], strict=True)
    ]
    frame["time_precision"] = frame["time_precision"].astype("int64")
    frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    frame["where_prec"] = frame["where_prec"].astype("Int64")
    events_gdf = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84
    )
    return Catalogue(events=events_gdf, claims=claims, sources=sources, path=path)


def _claims_for(event_id: str, group_id: str, claims: pd.DataFrame) -> list[dict]:
    mask = (claims["applies_to"] == event_id) | (
        (claims["applies_to"] == group_id) & (group_id != "")
    )
    out = []
    for record in claims[mask].to_dict("records"):
        out.append(
            {
                "claimant": record["claimant"],
                "scope": "this event"
                if record["applies_to"] == event_id
                else f"all events of {group_id}",
                "killed_low": _opt_int(record["killed_low"]),
                "killed_high": _opt_int(record["killed_high"]),
                "wounded_low": _opt_int(record["wounded_low"]),
                "wounded_high": _opt_int(record["wounded_high"]),
                "detail": record["detail"],
                "source_ids": "; ".join(record["source_ids"]),
            }
        )
    return out


def _opt_int(value: object) -> int | None:
    return None if pd.isna(value) else int(value)

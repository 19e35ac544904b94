"""The native catalogue: its rules, and the joins of events, claims and sources.

``validate_tables`` checks the three tables as text cells, all rules on whole
columns at once, and collects every problem (file, row, column, what is
expected) before raising. It then builds the typed catalogue, joining claims and
sources to events once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyproj import Geod

from geo.crs import WGS84
from layers.catalogue.check import cells
from layers.catalogue.check.cells import Problems, Table
from layers.catalogue.check.evidence import capture_store, check_source_evidence
from layers.catalogue.check.geography import Areas, areas_from, shipped_areas
from layers.catalogue.check.places import (
    Positions,
    check_places,
    km_apart,
    known_countries,
    length,
    pick,
)
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.model import (
    ACLED_GEO_PRECISION,
    ACLED_TYPES,
    CATALOGUE_DIR,
    CLAIM_COLUMNS,
    CONFIDENCE_GRADES,
    CONSTRAINT_KINDS,
    EARLIEST_DATE,
    EVENT_COLUMNS,
    FUTURE_DAYS,
    MAX_CASUALTIES,
    MIN_RADIUS_M,
    OPTIONAL_COLUMNS,
    PRECISION_CLASSES,
    SOURCE_COLUMNS,
    TABLE_COLUMNS,
    TIME_PRECISION,
    UCDP_OVER_WATER,
    UCDP_WHERE_PREC,
)
from layers.catalogue.reference import Reference
from layers.catalogue.store.tables import ROW
from layers.catalogue.world import World, shipped_world

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
    "validate_tables",
]

#: Columns whose text may run over several lines.
MULTILINE = (
    "title",
    "attacker",
    "target",
    "target_kind",
    "location",
    "description",
    "notes",
    "claimant",
    "detail",
    "outlet",
)
_ISO3 = r"^[A-Z]{3}$"
_CANDIDATE = r"^(?P<label>.*?)\s*@\s*(?P<lat>[^,@]*?)\s*,\s*(?P<lon>[^,@]*?)$"
_CASUALTIES = ("killed", "wounded")
_GEOD = Geod(ellps="WGS84")
_MAX_RADIUS_M = max(c.max_radius_m for c in PRECISION_CLASSES.values())


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue.

    Attributes
    ----------
    events
        One point per event in EPSG:4326, with every column of ``events.csv``
        typed (dates as datetime64, codes as integers, lat/lon/uncertainty_m as
        floats), plus ``sources`` and ``claims``: for each event a list of
        dicts. Dicts are shared between events that cite the same source or
        claim: read them, never modify them.
    claims
        One row per casualty claim (figures as nullable integers).
    sources
        One row per source.
    path
        Where it was read from.
    """

    events: gpd.GeoDataFrame
    claims: pd.DataFrame
    sources: pd.DataFrame
    path: str


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
        found = pd.Series([part], dtype="str").str.extract(_CANDIDATE)
        label, lat, lon = found.iloc[0]
        if not isinstance(lat, str) or not _is_number(lat) or not _is_number(lon):
            raise ValueError(f"'{part}' does not read as 'label @ lat, lon'")
        out.append((label, float(lat), float(lon)))
    return out


def _is_number(text: object) -> bool:
    return isinstance(text, str) and bool(
        pd.Series([text], dtype="str").str.fullmatch(cells.NUMBER_PATTERN).iloc[0]
    )


def parse_constraints(text: str) -> list[tuple[str, str]]:
    """Parse ``country:SYR; admin1:Dayr Az Zawr; valley`` into (kind, value) pairs.

    Raises
    ------
    ValueError
        If a constraint kind is unknown or lacks its value.
    """
    out = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
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


# --- tables -------------------------------------------------------------------


def _stripped(cells_: pd.Series) -> pd.Series:
    """Cells as stripped text (missing as empty), vectorised in Arrow."""
    if not isinstance(cells_.dtype, pd.StringDtype):
        cells_ = cells_.fillna("").astype("str")
    array = pa.array(cells_, type=pa.large_string())
    if not cells.may_need_trim(array):
        return cells_.fillna("")
    trimmed = pc.utf8_trim_whitespace(array)
    return pd.Series(trimmed.to_pandas(), dtype="str").fillna("")


def _table(frame: pd.DataFrame, key: str, name: str) -> Table:
    optional = OPTIONAL_COLUMNS.get(key, ())
    columns = TABLE_COLUMNS[key] + tuple(c for c in optional if c in frame.columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CatalogueError(
            name,
            f"missing column(s) {', '.join(missing)}; expected: {', '.join(columns)}",
            row=1,
        )
    if frame.columns.duplicated().any():
        twice = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise CatalogueError(
            name, f"column(s) {', '.join(map(str, twice))} appear twice", row=1
        )
    text = pd.DataFrame({c: _stripped(frame[c]) for c in columns}).reset_index(
        drop=True
    )
    if ROW in frame.columns:
        rows = pd.to_numeric(frame[ROW]).to_numpy(dtype=np.int64)
    else:
        rows = np.arange(len(frame), dtype=np.int64) + 2
    return Table(name=name, frame=text, rows=rows, columns=columns)


def _ids(problems: Problems, table: Table, column: str, what: str) -> None:
    cells.required(problems, table, column, what)
    bad = cells.matches(table.frame[column], ";")
    problems.add(
        table,
        bad,
        column,
        f"'{{value}}' holds ';', which separates ids in source_ids; expected {what}",
    )


def _references(
    problems: Problems,
    table: Table,
    column: str,
    known: pd.Series,
    *,
    what: str,
) -> None:
    """Every ``;``-separated id in *column* must be in *known*."""
    positions, items = cells.split_items(table.frame[column], ";")
    unknown = ~cells.isin(items, known)
    problems.add(
        table,
        positions[unknown],
        column,
        f"'{{value}}' is not {what}; expected an id listed there (add it, or fix "
        "the id)",
        values=items.to_numpy()[unknown],
    )
    listed = np.zeros(len(table), dtype=bool)
    listed[positions] = True
    problems.add(
        table,
        ~listed & ~cells.empty(table, column),
        column,
        "'{value}' names no id; expected ids separated by ';'",
    )


# --- sources ------------------------------------------------------------------


def _check_sources(problems: Problems, table: Table, latest: date) -> None:
    _ids(problems, table, "source_id", "a source id (unique, no ';')")
    cells.unique(problems, table, "source_id")
    cells.required(problems, table, "title", "the title of the source")
    # Any text, even none, is kept as a source's URL: a shared catalogue may hold
    # "javascript:", "data:" or no address at all. Only an http(s) address ever
    # becomes a link; geo/safe.py decides and the card says when it withheld one.
    cells.dates(
        problems,
        table,
        "published",
        earliest=EARLIEST_DATE,
        latest=latest,
        needed=False,
        partial=True,
    )


# --- events -------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    """Typed event columns; NaN / NaT / empty where the cell was bad."""

    start: np.ndarray
    end: np.ndarray
    time_precision: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    geo_precision: np.ndarray
    where_prec: np.ndarray
    radius: np.ndarray
    country_ok: np.ndarray
    class_ok: np.ndarray


def _check_event_cells(
    problems: Problems,
    table: Table,
    areas: Areas,
    latest: date,
    world: Callable[[], World],
) -> _Parsed:
    frame = table.frame
    cells.required(problems, table, "event_id", "an event id (unique)")
    cells.unique(problems, table, "event_id")
    cells.required(problems, table, "title", "a short title of the event")
    start = cells.dates(
        problems, table, "date_start", earliest=EARLIEST_DATE, latest=latest
    )
    end = cells.dates(
        problems,
        table,
        "date_end",
        earliest=EARLIEST_DATE,
        latest=latest,
        needed=False,
    )
    end = np.where(cells.empty(table, "date_end"), start, end)
    problems.add(
        table,
        end < start,
        "date_end",
        "{value} is before date_start {detail}; expected date_start or later",
        details=pick(frame["date_start"], end < start),
    )
    time_precision = cells.numbers(
        problems, table, "time_precision", low=1, high=3, integer=True
    )
    types_ok = cells.choices(problems, table, "event_type", tuple(ACLED_TYPES))
    pairs = {f"{t}\x1f{s}" for t, subs in ACLED_TYPES.items() for s in subs}
    pair_ok = cells.isin(frame["event_type"] + "\x1f" + frame["sub_event_type"], pairs)
    bad_pair = types_ok & ~pair_ok
    problems.add(
        table,
        bad_pair,
        "sub_event_type",
        "'{value}' is not a sub-event type of the event_type; expected one of: "
        "{detail}",
        details=frame["event_type"]
        .map({t: ", ".join(subs) for t, subs in ACLED_TYPES.items()})
        .to_numpy()[bad_pair],
    )
    is_code = known_countries(frame["country"].to_numpy(dtype=str), areas, world)
    country_ok = is_code | cells.empty(table, "country")
    problems.add(
        table,
        ~country_ok,
        "country",
        "'{value}' is not a country of the reference data; expected the ISO 3166 "
        "alpha-3 code of a country (e.g. IRQ, YEM, UKR), or nothing over "
        "international waters or airspace",
    )
    lat = cells.numbers(problems, table, "lat", low=-90, high=90, unit="°")
    lon = cells.numbers(problems, table, "lon", low=-180, high=180, unit="°")
    zero = (lat == 0) & (lon == 0)
    problems.add(
        table,
        zero,
        "lat",
        "the position {value}, 0 is no place (0, 0 is what a missing position "
        "becomes); expected the event's position",
    )
    lat = np.where(zero, np.nan, lat)
    class_ok = cells.choices(
        problems, table, "precision_class", tuple(PRECISION_CLASSES)
    )
    geo_precision = cells.numbers(
        problems,
        table,
        "geo_precision",
        low=min(ACLED_GEO_PRECISION),
        high=max(ACLED_GEO_PRECISION),
        integer=True,
        needed=False,
    )
    where_prec = cells.numbers(
        problems,
        table,
        "where_prec",
        low=min(UCDP_WHERE_PREC),
        high=max(UCDP_WHERE_PREC),
        integer=True,
        needed=False,
    )
    radius = cells.numbers(
        problems,
        table,
        "uncertainty_m",
        low=MIN_RADIUS_M,
        high=_MAX_RADIUS_M,
        unit=" m",
    )
    _check_crosswalk(problems, table, geo_precision, where_prec, radius)
    no_country = cells.empty(table, "country") & (where_prec != UCDP_OVER_WATER)
    problems.add(
        table,
        no_country & class_ok,
        "country",
        "is empty, but where_prec is not 7 (over water or in international "
        "airspace); expected the ISO3 code of the country the event is in",
    )
    cells.choices(problems, table, "confidence", CONFIDENCE_GRADES)
    return _Parsed(
        start=start,
        end=end,
        time_precision=time_precision,
        lat=lat,
        lon=lon,
        geo_precision=geo_precision,
        where_prec=where_prec,
        radius=radius,
        country_ok=country_ok,
        class_ok=class_ok,
    )


def _check_crosswalk(
    problems: Problems,
    table: Table,
    geo_precision: np.ndarray,
    where_prec: np.ndarray,
    radius: np.ndarray,
) -> None:
    """ACLED and UCDP codes and the radius must fit the precision class."""
    klass = table.frame["precision_class"]
    acled_given = ~cells.empty(table, "geo_precision")
    ucdp_given = ~cells.empty(table, "where_prec")
    for name, spec in PRECISION_CLASSES.items():
        rows = (klass == name).to_numpy()
        if not rows.any():
            continue
        acled_text = " or ".join(map(str, spec.acled)) or "empty (ACLED has no code)"
        acled_ok = np.isin(geo_precision, spec.acled) if spec.acled else ~acled_given
        bad = rows & ~acled_ok & ~(acled_given & np.isnan(geo_precision))
        problems.add(
            table,
            bad,
            "geo_precision",
            f"'{{value}}' does not go with {name} ({spec.meaning}); expected ACLED "
            f"geo_precision {acled_text}",
        )
        allowed = (*spec.ucdp, UCDP_OVER_WATER)
        ucdp_ok = np.isin(where_prec, allowed)
        if not spec.ucdp:
            ucdp_ok |= ~ucdp_given
        bad = rows & ~ucdp_ok & ~(ucdp_given & np.isnan(where_prec))
        ucdp_text = " or ".join(map(str, spec.ucdp)) or "empty (UCDP has no code)"
        problems.add(
            table,
            bad,
            "where_prec",
            f"'{{value}}' does not go with {name} ({spec.meaning}); expected UCDP "
            f"where_prec {ucdp_text}, or {UCDP_OVER_WATER} over water or in "
            "international airspace",
        )
        wide = rows & (radius > spec.max_radius_m)
        problems.add(
            table,
            wide,
            "uncertainty_m",
            f"{{value}} m is too wide for {name} ({spec.meaning}); expected at most "
            f"{spec.max_radius_m:,g} m, or a coarser precision class",
        )


def _floats(cells_: pd.Series, ok: np.ndarray) -> np.ndarray:
    """The cells as floats where *ok* (checked number syntax), NaN elsewhere."""
    array = pa.array(cells_, type=pa.large_string())
    clean = pc.if_else(pa.array(ok), array, pa.scalar(None, pa.large_string()))
    return clean.cast(pa.float64()).to_numpy(zero_copy_only=False)


def _check_candidates(
    problems: Problems, table: Table, parsed: _Parsed, areas: Areas
) -> None:
    """Each candidate reads as ``label @ lat, lon``, in range, inside the radius."""
    positions, items = cells.split_items(table.frame["candidates"], "|")
    if not len(items):
        return
    found = pc.extract_regex(pa.array(items, type=pa.large_string()), _CANDIDATE)
    form = ~pc.is_valid(found).to_numpy(zero_copy_only=False)
    found_lat = pc.fill_null(pc.struct_field(found, "lat"), "")
    found_lon = pc.fill_null(pc.struct_field(found, "lon"), "")
    candidate = Table(
        name=table.name,
        frame=pd.DataFrame(
            {
                "candidates": items.to_numpy(),
                "lat": pd.Series(found_lat.to_pandas(), dtype="str").to_numpy(),
                "lon": pd.Series(found_lon.to_pandas(), dtype="str").to_numpy(),
            }
        ),
        rows=table.rows[positions],
        columns=table.columns,
    )
    problems.add(
        candidate,
        form,
        "candidates",
        "'{value}' does not read as 'label @ lat, lon'; expected candidates like "
        "'GeoNames @ 34.39, 40.99' separated by '|'",
    )
    ok = ~form
    number = f"^{cells.NUMBER_PATTERN}$"
    syntax = cells.matches(candidate.frame["lat"], number) & cells.matches(
        candidate.frame["lon"], number
    )
    problems.add(
        candidate,
        ok & ~syntax,
        "candidates",
        "'{value}' has a position that is not two numbers; expected 'label @ lat, "
        "lon' in decimal degrees with the digits 0-9",
    )
    ok &= syntax
    lat = _floats(candidate.frame["lat"], ok)
    lon = _floats(candidate.frame["lon"], ok)
    in_range = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    problems.add(
        candidate,
        ok & ~in_range,
        "candidates",
        "'{value}' is out of range; expected latitude -90 to 90 and longitude "
        "-180 to 180",
    )
    ok &= in_range
    zero = ok & (lat == 0) & (lon == 0)
    problems.add(
        candidate,
        zero,
        "candidates",
        "'{value}' is at 0, 0, no place (what a missing position becomes); "
        "expected the candidate's position",
    )
    ok &= ~zero
    anchor_lat, anchor_lon = parsed.lat[positions], parsed.lon[positions]
    radius = parsed.radius[positions]
    measurable = ok & ~np.isnan(anchor_lat) & ~np.isnan(anchor_lon) & ~np.isnan(radius)
    metres = np.full(len(items), np.nan)
    if measurable.any():
        _, _, metres[measurable] = _GEOD.inv(
            anchor_lon[measurable],
            anchor_lat[measurable],
            lon[measurable],
            lat[measurable],
        )
    far = measurable & (metres > radius)
    problems.add(
        Table(table.name, candidate.frame, candidate.rows, table.columns),
        far,
        "uncertainty_m",
        "does not cover candidate {value}; expected a radius that covers every "
        "candidate position ({detail})",
        values=items.to_numpy()[far],
        details=[
            f"it lies {length(m)} from the point, the radius is {length(r)}"
            for m, r in zip(metres[far], radius[far], strict=True)
        ],
    )


def _check_constraints(
    problems: Problems, table: Table, parsed: _Parsed, areas: Areas
) -> None:
    """Each constraint is known, resolvable and agrees with the event's place."""
    positions, items = cells.split_items(table.frame["constraints"], ";")
    if not len(items):
        return
    parts = items.str.partition(":")
    kind = parts[0].str.strip().to_numpy()
    value = parts[2].str.strip().to_numpy()
    frame = table.frame
    event_country = pick(frame["country"], positions)
    event_admin1 = pick(frame["admin1"], positions)
    rows = table.rows[positions]
    view = Table(
        table.name, pd.DataFrame({"constraints": items.to_numpy()}), rows, table.columns
    )
    unknown = ~cells.isin(kind, CONSTRAINT_KINDS)
    problems.add(
        view,
        unknown,
        "constraints",
        "'{value}' is not a known constraint; expected country:<ISO3>, "
        "admin1:<governorate>, valley or corridor, separated by ';'",
    )
    named = cells.isin(kind, ("country", "admin1"))
    problems.add(
        view,
        named & (value == ""),
        "constraints",
        "'{value}' needs a value; expected country:<ISO3> or admin1:<governorate>",
    )
    bare = cells.isin(kind, ("valley", "corridor")) & (value != "")
    problems.add(
        view,
        bare,
        "constraints",
        "'{value}' takes no value; expected 'valley' or 'corridor' alone",
    )
    is_country = (kind == "country") & (value != "")
    known_country = cells.isin(value, areas.countries)
    problems.add(
        view,
        is_country & ~known_country,
        "constraints",
        "'{value}' names no country of the reference data; expected country:<ISO3> "
        f"with one of {', '.join(sorted(areas.countries))}",
    )
    clash = is_country & known_country & (value != event_country)
    problems.add(
        view,
        clash,
        "constraints",
        "'{value}' contradicts the event's country ({detail}); expected the "
        "event's own country",
        details=[c or "empty" for c in event_country[clash]],
    )
    is_admin1 = (kind == "admin1") & (value != "")
    names = {name: code for code, name in areas.admin1}
    known_admin1 = cells.isin(value, names)
    problems.add(
        view,
        is_admin1 & ~known_admin1,
        "constraints",
        "'{value}' names no governorate of the reference data; expected "
        "admin1:<name> as in data/reference/admin1.geojson (e.g. admin1:Al-Anbar)",
    )
    owner = pd.Series(value).map(names).fillna("").to_numpy(dtype=object)
    wrong_country = is_admin1 & known_admin1 & (owner != event_country)
    problems.add(
        view,
        wrong_country,
        "constraints",
        "'{value}' is a governorate of {detail}, not of the event's country; "
        "expected a governorate of the event's country",
        details=owner[wrong_country],
    )
    wrong_admin1 = (
        is_admin1
        & known_admin1
        & ~wrong_country
        & (event_admin1 != "")
        & (value != event_admin1)
    )
    problems.add(
        view,
        wrong_admin1,
        "constraints",
        "'{value}' contradicts the event's admin1 ({detail}); expected the "
        "event's own governorate",
        details=event_admin1[wrong_admin1],
    )
    # A governorate constraint the event's admin1 cell does not state: the disc
    # must still reach it.
    unstated = is_admin1 & known_admin1 & ~wrong_country & (event_admin1 == "")
    lat, lon = parsed.lat[positions], parsed.lon[positions]
    radius = parsed.radius[positions]
    measurable = unstated & ~np.isnan(lat) & ~np.isnan(lon) & ~np.isnan(radius)
    for name in np.unique(value[measurable]):
        hits = np.flatnonzero(measurable & (value == name))
        shape = areas.admin1[(names[name], name)]
        metres = areas.distance_m(shape, lon[hits], lat[hits])
        far = metres > radius[hits]
        problems.add(
            view,
            hits[far],
            "constraints",
            "'{value}' lies beyond the event's uncertainty disc ({detail}); "
            "expected a governorate the disc reaches",
            details=km_apart(metres[far], radius[hits[far]]),
        )


# --- claims -------------------------------------------------------------------


def _check_claims(
    problems: Problems, table: Table, targets: pd.Series
) -> dict[str, np.ndarray]:
    cells.required(
        problems, table, "applies_to", "an event_id or group_id of the events"
    )
    frame = table.frame
    unknown = ~cells.isin(frame["applies_to"], targets) & ~cells.empty(
        table, "applies_to"
    )
    problems.add(
        table,
        unknown,
        "applies_to",
        "'{value}' is neither an event_id nor a group_id of the events; expected "
        "one of them",
    )
    cells.required(problems, table, "claimant", "who makes the claim")
    figures = {}
    for what in _CASUALTIES:
        for end in ("low", "high"):
            column = f"{what}_{end}"
            figures[column] = cells.numbers(
                problems,
                table,
                column,
                low=0,
                high=MAX_CASUALTIES,
                integer=True,
                needed=False,
            )
        low, high = figures[f"{what}_low"], figures[f"{what}_high"]
        below = high < low
        problems.add(
            table,
            below,
            f"{what}_high",
            f"{{value}} is below {what}_low {{detail}}; expected {what}_high at "
            f"least {what}_low",
            details=pick(frame[f"{what}_low"], below),
        )
    return figures


# --- the whole catalogue ------------------------------------------------------


def validate_tables(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    names: Mapping[str, str],
    reference: Reference | None = None,
    path: str = "",
    native: bool = False,
) -> Catalogue:
    """Check the three native tables and join them into a catalogue.

    Parameters
    ----------
    events, claims, sources
        The tables as all-string frames with the columns of the schema
        (``layers.catalogue.model``); other columns are ignored. An optional
        integer column ``_row`` gives the row number to report (default:
        position + 2, the header being row 1).
    names
        The file name to show in errors for ``"events"``, ``"claims"`` and
        ``"sources"``.
    reference
        The reference geodata to check positions against (default: the
        shipped data).
    path
        Where the catalogue came from (kept on the result).
    native
        True for a native catalogue (a folder or a zip of one): a source
        ``url`` must then be an http(s) address (or empty). Imports keep any
        text, and the card withholds a link that is not http(s). A native
        catalogue's events in the fitted regional reference are held to its
        outlines; an import may lie up to ``IMPORT_TOLERANCE_M`` outside its
        stated country's world outline (said in the event's notes).

    Returns
    -------
    The validated catalogue.

    Raises
    ------
    CatalogueErrors
        Every problem found, each with file, row, column and what is expected.
    """
    areas = shipped_areas() if reference is None else areas_from(reference)
    latest = date.today() + timedelta(days=FUTURE_DAYS)
    structure = []
    tables = {}
    for key, frame in (("events", events), ("claims", claims), ("sources", sources)):
        try:
            tables[key] = _table(frame, key, names[key])
        except CatalogueError as exc:
            structure.append(exc)
    if structure:
        raise CatalogueErrors(structure)
    event_table, claim_table, source_table = (
        tables["events"],
        tables["claims"],
        tables["sources"],
    )
    if len(event_table) == 0:
        raise CatalogueErrors(
            [
                CatalogueError(
                    event_table.name,
                    "has a header but no events; expected one event a row from row 2",
                    row=2,
                )
            ]
        )
    problems = Problems([event_table, claim_table, source_table])
    for table in (event_table, claim_table, source_table):
        cells.control_characters(problems, table, multiline=MULTILINE)
    _check_sources(problems, source_table, latest)
    check_source_evidence(
        problems, source_table, store=capture_store(path), native=native
    )
    the_world = shipped_world  # read only when a row needs it
    parsed = _check_event_cells(problems, event_table, areas, latest, the_world)
    _check_candidates(problems, event_table, parsed, areas)
    notes = check_places(
        problems,
        event_table,
        Positions(parsed.lat, parsed.lon, parsed.radius, parsed.where_prec),
        areas,
        country_ok=parsed.country_ok,
        native=native,
        world=the_world,
    )
    _check_constraints(problems, event_table, parsed, areas)
    known_sources = source_table.frame["source_id"]
    sources_file = source_table.name.rsplit("/", 1)[-1]
    for table in (event_table, claim_table):
        cells.required(problems, table, "source_ids", f"ids from {sources_file}")
        _references(
            problems, table, "source_ids", known_sources, what=f"in {sources_file}"
        )
    groups = event_table.frame["group_id"]
    targets = pd.concat([event_table.frame["event_id"], groups[groups != ""]])
    figures = _check_claims(problems, claim_table, targets)
    problems.raise_if_any()
    if (notes != "").any():
        frame = event_table.frame.copy()
        noted = notes != ""
        frame.loc[noted, "notes"] = (
            frame["notes"][noted].str.cat(notes[noted], sep=" ").str.strip()
        )
        event_table = Table(
            event_table.name, frame, event_table.rows, event_table.columns
        )
    return _assemble(event_table, claim_table, source_table, parsed, figures, path)


# --- joins --------------------------------------------------------------------


def _lists(owner: np.ndarray, items: np.ndarray, count: int) -> list[list[object]]:
    """Group *items* into one list per owner position (in the items' order)."""
    order = np.argsort(owner, kind="stable")
    ends = np.cumsum(np.bincount(owner, minlength=count))
    starts = ends - np.bincount(owner, minlength=count)
    ordered = items[order].tolist()
    return [ordered[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]


def _assemble(
    event_table: Table,
    claim_table: Table,
    source_table: Table,
    parsed: _Parsed,
    figures: Mapping[str, np.ndarray],
    path: str,
) -> Catalogue:
    sources = source_table.frame.copy()
    claims = claim_table.frame.copy()
    for column, values in figures.items():
        claims[column] = pd.array(
            np.where(np.isnan(values), 0, values).astype(np.int64), dtype="Int64"
        )
        claims.loc[np.isnan(values), column] = pd.NA
    claims["source_ids"] = cells.join_items(claims["source_ids"], ";", "; ")

    frame = event_table.frame.copy()
    frame["date_start"] = pd.to_datetime(parsed.start)
    frame["date_end"] = pd.to_datetime(parsed.end)
    frame["time_precision"] = parsed.time_precision.astype(np.int64)
    frame["lat"], frame["lon"] = parsed.lat, parsed.lon
    for column in ("geo_precision", "where_prec"):
        values = getattr(parsed, column)
        typed = pd.array(np.where(np.isnan(values), 0, values).astype(np.int64))
        frame[column] = pd.array(typed, dtype="Int64")
        frame.loc[np.isnan(values), column] = pd.NA
    frame["uncertainty_m"] = parsed.radius
    frame["source_ids"] = cells.join_items(frame["source_ids"], ";", "; ")
    count = len(frame)

    # Sources: one dict per source, shared by every event that cites it.
    source_dicts = _dicts(
        {
            "id": sources["source_id"].tolist(),
            **{c: _shared(sources[c]) for c in source_table.columns[1:]},
        }
    )
    cited_by, cited = cells.split_items(frame["source_ids"], ";")
    index = _index_in(cited, sources["source_id"])
    frame["sources"] = _lists(cited_by, source_dicts[index], count)

    # Claims: each applies to an event or to every event of a group.
    direct = _index_in(claims["applies_to"], frame["event_id"])
    scope = np.where(
        direct >= 0, "this event", "all events of " + claims["applies_to"].to_numpy()
    )
    claim_dicts = _dicts(
        {
            "claimant": _shared(claims["claimant"]),
            "scope": _shared(pd.Series(scope, dtype="str")),
            **{c: _optional_ints(figures[c]) for c in figures},
            "detail": _shared(claims["detail"]),
            "source_ids": _shared(claims["source_ids"]),
        }
    )
    in_group = (frame["group_id"] != "").to_numpy()
    members = pd.DataFrame(
        {
            "event": np.flatnonzero(in_group),
            "group_id": frame["group_id"][in_group].reset_index(drop=True),
        }
    )
    by_group = pd.DataFrame(
        {"claim": np.arange(len(claims)), "group_id": claims["applies_to"]}
    ).merge(members, on="group_id")
    links = pd.concat(
        [
            pd.DataFrame(
                {"event": direct[direct >= 0], "claim": np.flatnonzero(direct >= 0)}
            ),
            by_group[["event", "claim"]],
        ]
    ).drop_duplicates()
    links = links.sort_values(["event", "claim"], kind="stable")
    frame["claims"] = _lists(
        links["event"].to_numpy(), claim_dicts[links["claim"].to_numpy()], count
    )
    events = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84
    )
    return Catalogue(events=events, claims=claims, sources=sources, path=path)


def _shared(cells_: pd.Series) -> list[str]:
    """The cells as Python strings, one object per distinct value (less memory)."""
    codes, uniques = pd.factorize(cells_)
    return np.asarray(uniques, dtype=object)[codes].tolist()


def _index_in(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """The position in *keys* of each value (first match), -1 where absent."""
    found = pc.index_in(
        pa.array(values, type=pa.large_string()),
        value_set=pa.array(keys, type=pa.large_string()),
    )
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _optional_ints(values: np.ndarray) -> list[int | None]:
    """Whole numbers as Python ints, NaN as None."""
    out = np.asarray(np.where(np.isnan(values), 0, values).astype(np.int64), object)
    out[np.isnan(values)] = None
    return out.tolist()


def _dicts(columns: Mapping[str, Sequence[object]]) -> np.ndarray:
    """One dict per row of *columns* (equal-length lists), as an object array."""
    keys = tuple(columns)
    rows = zip(*columns.values(), strict=True)
    count = len(next(iter(columns.values()))) if columns else 0
    out = np.empty(count, dtype=object)
    out[:] = [dict(zip(keys, row, strict=True)) for row in rows]
    return out

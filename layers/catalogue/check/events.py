"""Rules for the events table's cells: dates, types, positions, precision.

Each rule takes whole columns; the typed values come back in ``Parsed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyproj import Geod

from layers.catalogue.check import cells
from layers.catalogue.check.cells import Problems, Table
from layers.catalogue.check.geography import Areas
from layers.catalogue.check.places import (
    known_countries,
    length,
    pick,
)
from layers.catalogue.model import (
    ACLED_GEO_PRECISION,
    ACLED_TYPES,
    AREA_WIDE_CLASSES,
    CONFIDENCE_GRADES,
    EARLIEST_DATE,
    MAX_RADIUS_M,
    MIN_RADIUS_M,
    PRECISION_CLASSES,
    UCDP_OVER_WATER,
    UCDP_WHERE_PREC,
)
from layers.catalogue.world import World

_ISO3 = r"^[A-Z]{3}$"
_CANDIDATE = r"^(?P<label>.*?)\s*@\s*(?P<lat>[^,@]*?)\s*,\s*(?P<lon>[^,@]*?)$"
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Parsed:
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


def check_event_cells(
    problems: Problems,
    table: Table,
    areas: Areas,
    latest: date,
    world: Callable[[], World],
) -> Parsed:
    """Check the events table's cells; return the typed columns."""
    cells.required(problems, table, "event_id", "an event id (unique)")
    cells.unique(problems, table, "event_id")
    cells.required(problems, table, "title", "a short title of the event")
    start, end, time_precision = _when(problems, table, latest)
    _types(problems, table)
    country_ok, lat, lon = _where(problems, table, areas, world)
    class_ok, geo_precision, where_prec, radius = _precision(problems, table)
    no_country = cells.empty(table, "country") & (where_prec != UCDP_OVER_WATER)
    problems.add(
        table,
        no_country & class_ok,
        "country",
        "is empty, but where_prec is not 7 (over water or in international "
        "airspace); expected the ISO3 code of the country the event is in",
    )
    cells.choices(problems, table, "confidence", CONFIDENCE_GRADES)
    return Parsed(
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


def _when(
    problems: Problems, table: Table, latest: date
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end dates (end defaults to start) and time precision."""
    frame = table.frame
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
    return start, end, time_precision


def _types(problems: Problems, table: Table) -> None:
    """ACLED event type, and a sub-event type of that type."""
    frame = table.frame
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


def _where(
    problems: Problems, table: Table, areas: Areas, world: Callable[[], World]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A known country code (or none), and lat/lon in range and not 0, 0."""
    frame = table.frame
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
    return country_ok, np.where(zero, np.nan, lat), lon


def _precision(
    problems: Problems, table: Table
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Precision class, ACLED and UCDP codes and radius, and their crosswalk."""
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
        high=MAX_RADIUS_M,
        unit=" m",
    )
    _check_crosswalk(problems, table, geo_precision, where_prec, radius)
    return class_ok, geo_precision, where_prec, radius


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
        if name in AREA_WIDE_CLASSES:  # bounded by its named area instead
            wide &= ~_names_area(table, AREA_WIDE_CLASSES[name])
        problems.add(
            table,
            wide,
            "uncertainty_m",
            f"{{value}} m is too wide for {name} ({spec.meaning}); expected at most "
            f"{spec.max_radius_m:,g} m, or a coarser precision class",
        )


def _names_area(table: Table, kind: str) -> np.ndarray:
    """Where the row's constraints name an area of *kind* (``admin1``, say)."""
    if "constraints" not in table.frame:
        return np.zeros(len(table.frame), dtype=bool)
    text = table.frame["constraints"].fillna("").astype(str)
    pattern = rf"(?:^|;)\s*{kind}\s*:\s*\S"
    return text.str.contains(pattern, regex=True).to_numpy(dtype=bool)


def _floats(cells_: pd.Series, ok: np.ndarray) -> np.ndarray:
    """The cells as floats where *ok* (checked number syntax), NaN elsewhere."""
    array = pa.array(cells_, type=pa.large_string())
    clean = pc.if_else(pa.array(ok), array, pa.scalar(None, pa.large_string()))
    return clean.cast(pa.float64()).to_numpy(zero_copy_only=False)


def check_candidates(problems: Problems, table: Table, parsed: Parsed) -> None:
    """Each candidate reads as ``label @ lat, lon``, in range, inside the radius."""
    positions, items = cells.split_items(table.frame["candidates"], "|")
    if not len(items):
        return
    candidate, form = _candidate_table(table, positions, items)
    ok, lat, lon = _candidate_positions(problems, candidate, form)
    _covered(problems, table, candidate, (positions, items), (ok, lat, lon), parsed)


def _candidate_table(
    table: Table, positions: np.ndarray, items: pd.Series
) -> tuple[Table, np.ndarray]:
    """One row per candidate (its text, lat and lon), and where it has no form."""
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
    return candidate, form


def _candidate_positions(
    problems: Problems, candidate: Table, form: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where a candidate's position is two numbers in range, not 0, 0."""
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
    return ok, lat, lon


def _covered(
    problems: Problems,
    table: Table,
    candidate: Table,
    items_at: tuple[np.ndarray, pd.Series],
    checked: tuple[np.ndarray, np.ndarray, np.ndarray],
    parsed: Parsed,
) -> None:
    """The event's radius covers each of its candidates."""
    positions, items = items_at
    ok, lat, lon = checked
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

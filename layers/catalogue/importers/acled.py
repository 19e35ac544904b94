"""Import an ACLED CSV export into the native catalogue, precision kept honest.

ACLED never codes a site. Its ``geo_precision`` 1 is a named town (class P2),
2 is "near" a town that stands for a small area (P3: a disc, no pin) and 3 is
"only the province is known", for which ACLED puts the point on the provincial
capital: such an event is drawn as its governorate (P4), never as a dot at the
capital. The tables below are the whole mapping; ``data/README.md`` repeats them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.catalogue.importers import places
from layers.catalogue.importers.areas import Placement, place
from layers.catalogue.importers.columns import (
    native_codes,
    radius_text,
    whole_number_text,
)
from layers.catalogue.importers.dates import iso_dates
from layers.catalogue.importers.mapped import ColumnMapping, Parsed
from layers.catalogue.importers.native import (
    Tables,
    claims_frame,
    dataset_sources,
    events_frame,
)
from layers.catalogue.importers.rows import RowErrors
from layers.catalogue.model import ACLED_TYPES

#: The columns an ACLED export must have (others are ignored or optional).
REQUIRED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "fatalities",
)
#: Columns used when present.
OPTIONAL_COLUMNS = ("actor1", "actor2", "notes", "iso3", "admin2")
#: Native column -> the ACLED column it comes from (for messages).
ORIGINAL_COLUMNS = {
    "event_id": "event_id_cnty",
    "title": "sub_event_type",
    "date_start": "event_date",
    "date_end": "event_date",
    "time_precision": "time_precision",
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "country": "country",
    "admin1": "admin1",
    "location": "location",
    "lat": "latitude",
    "lon": "longitude",
    "candidates": "latitude",
    "precision_class": "geo_precision",
    "geo_precision": "geo_precision",
    "uncertainty_m": "geo_precision",
    "constraints": "admin1",
    "description": "notes",
    "source_ids": "source",
    "applies_to": "event_id_cnty",
    "killed_low": "fatalities",
    "killed_high": "fatalities",
    "source_id": "source",
}
#: Header names that tell an ACLED export apart from other CSV files.
SIGNATURE = ("event_id_cnty", "geo_precision", "event_date")

#: ACLED ``geo_precision`` -> (precision class, radius in metres or None when
#: it comes from an outline, what ACLED means).
GEO_PRECISION: dict[int, tuple[str, float | None, str]] = {
    1: ("P2", 10_000.0, "a named town; the site inside it is not known"),
    2: ("P3", 25_000.0, "near a named town, or a small part of a region"),
    3: ("P4", None, "only the province is known (the point is its capital)"),
}
#: When ACLED's province is not among the reference outlines (Iraq and Syria
#: only) the event is listed as country-only (P6), not drawn: no smaller area
#: can be stated honestly (see ``areas.place``).
#: ACLED ``time_precision`` -> (native time precision, days before, days after
#: the event date; None: the whole calendar month of the date).
TIME_PRECISION: dict[int, tuple[int, int | None, int | None]] = {
    1: (1, 0, 0),
    2: (2, 3, 3),
    3: (3, None, None),
}
#: ACLED's longer sub-event names, where the schema keeps a short form.
SUB_EVENT_ALIASES = {"Excessive force against protesters": "Excessive force"}
DATASET_SOURCE_ID = "acled-export"
CLAIMANT = "ACLED"


def _check_types(frame: pd.DataFrame, problems: RowErrors) -> pd.Series:
    sub = frame["sub_event_type"].replace(SUB_EVENT_ALIASES)
    known_type = frame["event_type"].isin(ACLED_TYPES)
    problems.add_rows(
        ~known_type,
        frame["_row"],
        "event_type",
        lambda v: (
            f"'{v}' is not an ACLED event type; expected one of: "
            + ", ".join(ACLED_TYPES)
        ),
        frame["event_type"],
    )
    pairs = {(t, s) for t, subs in ACLED_TYPES.items() for s in subs}
    known_pair = pd.Series(
        [p in pairs for p in zip(frame["event_type"], sub, strict=True)],
        index=frame.index,
    )
    bad = known_type & ~known_pair
    for row, event_type, value in zip(
        frame["_row"][bad], frame["event_type"][bad], sub[bad], strict=True
    ):
        problems.add(
            f"'{value}' is not a sub-event type of '{event_type}'; expected one of: "
            + ", ".join(ACLED_TYPES[event_type]),
            row=int(row),
            column="sub_event_type",
        )
    return sub


def _date_spans(
    dates: pd.Series, codes: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    start, end = dates.copy(), dates.copy()
    native = codes.map({k: v[0] for k, v in TIME_PRECISION.items()})
    for code, (_, before, after) in TIME_PRECISION.items():
        rows = codes == code
        if before is None:
            start[rows] = dates[rows].dt.to_period("M").dt.start_time
            end[rows] = dates[rows].dt.to_period("M").dt.end_time.dt.normalize()
        else:
            start[rows] = dates[rows] - pd.Timedelta(days=before)
            end[rows] = dates[rows] + pd.Timedelta(days=after)
    return start, end, native


def _build(parsed: Parsed) -> Tables:
    """ACLED's own checks, then its native tables (see ``MAPPING``)."""
    frame, problems = parsed.frame, parsed.errors
    sub_event = _check_types(frame, problems)
    fatalities = pd.to_numeric(frame["fatalities"], errors="coerce")
    bad = (frame["fatalities"] != "") & ~(
        (fatalities >= 0) & (fatalities == np.floor(fatalities))
    )
    problems.add_rows(
        bad,
        frame["_row"],
        "fatalities",
        lambda v: f"'{v}' is not a count of deaths; expected a whole number, 0 or more",
        frame["fatalities"],
    )
    parsed.country = places.countries(
        frame, problems, column="country", code_column="iso", code_kind="iso_numeric"
    )
    problems.raise_if_any()
    sources, event_sources, outlet_count = dataset_sources(
        frame["source"],
        prefix="acled-src",
        dataset={
            "source_id": DATASET_SOURCE_ID,
            "title": f"ACLED export {parsed.name}",
            "outlet": "ACLED (Armed Conflict Location & Event Data)",
        },
    )
    events = _events(parsed, sub_event, event_sources, outlet_count)
    claims = claims_frame(
        {
            "applies_to": frame["event_id_cnty"],
            "claimant": CLAIMANT,
            "killed_low": whole_number_text(fatalities),
            "killed_high": whole_number_text(fatalities),
            "detail": "Fatalities as coded by ACLED (its count from the cited "
            "reports; ACLED favours conservative figures).",
            "source_ids": event_sources,
            "_row": frame["_row"],
        },
        frame.index,
    )
    claims = claims[(frame["fatalities"] != "").to_numpy()].reset_index(drop=True)
    return Tables(events, claims, sources)


def _placement(parsed: Parsed) -> tuple[Placement, places.Where]:
    frame, geo = parsed.frame, parsed.codes["geo_precision"]
    country = parsed.country
    found = places.where(frame["admin1"], country, parsed.lon, parsed.lat)
    admin1_ref = found.admin1
    placed = place(
        geo.map({k: v[0] for k, v in GEO_PRECISION.items()}).astype(str),
        geo.map({k: v[1] for k, v in GEO_PRECISION.items()}).astype(float),
        parsed.lon,
        parsed.lat,
        country,
        admin1_ref,
        area_key=found.key,
        shapes=found.shapes,
        province=geo == 3,
        source="ACLED",
    )
    return placed, found


def _events(
    parsed: Parsed,
    sub_event: pd.Series,
    event_sources: pd.Series,
    outlet_count: pd.Series,
) -> pd.DataFrame:
    frame = parsed.frame
    geo, time = parsed.codes["geo_precision"], parsed.codes["time_precision"]
    placed, found = _placement(parsed)
    admin1_ref = found.admin1
    by_position = places.fallback_notes(found, frame["admin1"], label="ACLED's admin1")
    province = geo == 3
    start, end, native_time = _date_spans(parsed.dates["event_date"], time)
    location = frame["location"].where(frame["location"] != "", frame["admin1"])
    geo_cell, where_cell = native_codes(
        placed.klass,
        acled=frame["geo_precision"],
        ucdp=pd.Series("", index=frame.index),
    )
    notes = _notes(
        frame,
        geo,
        time,
        placed.radius,
        admin1_ref,
        province,
        time_given="time_precision" not in parsed.defaulted,
    )
    return events_frame(
        {
            "event_id": frame["event_id_cnty"],
            "title": sub_event + ": " + location,
            "date_start": iso_dates(start),
            "date_end": iso_dates(end),
            "time_precision": whole_number_text(native_time),
            "event_type": frame["event_type"],
            "sub_event_type": sub_event,
            "country": placed.country,
            "admin1": admin1_ref.where(admin1_ref != "", frame["admin1"]),
            "location": placed.location.where(placed.location != "", location),
            "lat": placed.lat.round(5).astype(str),
            "lon": placed.lon.round(5).astype(str),
            "candidates": placed.candidates,
            "precision_class": placed.klass,
            "geo_precision": geo_cell,
            "where_prec": where_cell,
            "uncertainty_m": radius_text(placed.radius),
            "constraints": placed.constraints,
            "confidence": np.where(outlet_count >= 2, "fair", "weak"),
            "description": frame["notes"],
            "notes": notes + by_position,
            "source_ids": event_sources,
            "_row": frame["_row"],
        },
        frame.index,
    )


def _notes(
    frame: pd.DataFrame,
    geo: pd.Series,
    time: pd.Series,
    radius: pd.Series,
    admin1_ref: pd.Series,
    province: pd.Series,
    *,
    time_given: bool,
) -> pd.Series:
    """Where each shape came from (the derivation) and what ACLED coded."""
    drawn_province = province & (admin1_ref != "")
    listed_only = province & (admin1_ref == "")
    km = (radius / 1000).round(0).astype(int).astype(str)
    shape = pd.Series("", index=frame.index)
    town = geo == 1
    shape[town] = (
        "Location: ACLED geo_precision 1 (a named town): within "
        + km[town]
        + " km of ACLED's point for "
        + frame["location"][town]
        + "; the site inside the town is not known."
    )
    near = geo == 2
    shape[near] = (
        "Location: ACLED geo_precision 2 (near "
        + frame["location"][near]
        + ", which stands for a small area): a "
        + km[near]
        + " km disc around ACLED's point, no pin; no site is known."
    )
    shape[drawn_province] = (
        "Location: ACLED geo_precision 3 (only the province is known; ACLED's "
        "point is the provincial capital, a stand-in): drawn as the "
        + admin1_ref[drawn_province]
        + " governorate (Natural Earth admin-1) inside the smallest circle that "
        "holds it (" + km[drawn_province] + " km), not as a point."
    )
    shape[listed_only] = (
        "Location: ACLED geo_precision 3 (only the province is known), but the "
        "province '"
        + frame["admin1"][listed_only]
        + "' matches no reference admin-1 area and its point lies in none of "
        "its country's: listed as country-only, not drawn."
    )
    actors = ("ACLED actors (not directional): " + frame["actor1"]).where(
        frame["actor1"] != "", ""
    )
    actors = actors + ("; " + frame["actor2"]).where(frame["actor2"] != "", "")
    timing = (
        " Time: ACLED time_precision " + time.astype(str) + "."
        if time_given
        else pd.Series(NO_TIME_PRECISION, index=frame.index)
    )
    return shape + timing + (" " + actors).where(actors != "", "")


#: The derivation's time note when the file has no ``time_precision`` column.
NO_TIME_PRECISION = (
    " Time: the file has no time_precision column; day precision (ACLED 1) "
    "from event_date is assumed."
)

#: ACLED exports as a column-mapped format (see ``importers.mapped``).
MAPPING = ColumnMapping(
    what="an ACLED export",
    id_column="event_id_cnty",
    id_label="ACLED's event id",
    required=REQUIRED_COLUMNS,
    optional=OPTIONAL_COLUMNS,
    signature=SIGNATURE,
    codes={
        "geo_precision": (tuple(GEO_PRECISION), "an ACLED geo_precision"),
        "time_precision": (tuple(TIME_PRECISION), "an ACLED time_precision"),
    },
    dates=("event_date",),
    original_columns=ORIGINAL_COLUMNS,
    build=_build,
    defaults={"time_precision": 1},
)

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

from layers.catalogue.errors import CatalogueError
from layers.catalogue.importers.importing import (
    Problems,
    Tables,
    admin1_names,
    claims_frame,
    coordinates,
    country_codes,
    events_frame,
    integer_codes,
    iso_dates,
    native_codes,
    parse_dates,
    place,
    radius_text,
    read_csv_strings,
    reference_frames,
    require_columns,
    text_sources,
    to_catalogue,
    whole_number_text,
)
from layers.catalogue.model import ACLED_TYPES, SOURCE_COLUMNS, Catalogue

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
#: can be stated honestly (see ``importing.place``).
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


def looks_like(header: list[str]) -> bool:
    """Whether a CSV header is that of an ACLED export."""
    return all(column in header for column in SIGNATURE)


def _check_types(frame: pd.DataFrame, problems: Problems) -> pd.Series:
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


def to_tables(data: bytes, *, name: str) -> Tables:
    """The native tables of an ACLED CSV export.

    Parameters
    ----------
    data
        The file's bytes (UTF-8 CSV with ACLED's header).
    name
        The file name shown in messages.

    Returns
    -------
    Events, claims (ACLED's fatalities, one claim per event, by ACLED) and
    sources (the dataset, and each outlet ACLED cites, without URL).

    Raises
    ------
    CatalogueErrors
        Every cell that breaks ACLED's format, by row and ACLED column.
    """
    frame = read_csv_strings(data, name=name)
    require_columns(frame, REQUIRED_COLUMNS, name=name, what="an ACLED export")
    if frame.empty:
        raise CatalogueError(name, "has a header but no events")
    for column in OPTIONAL_COLUMNS:
        if column not in frame:
            frame[column] = ""
    problems = Problems(name)
    rows = frame["_row"]
    empty_id = frame["event_id_cnty"] == ""
    problems.add_rows(
        empty_id,
        rows,
        "event_id_cnty",
        lambda v: "is empty; ACLED's event id is required",
        frame["event_id_cnty"],
    )
    geo = integer_codes(
        frame, "geo_precision", GEO_PRECISION, problems, what="an ACLED geo_precision"
    )
    time = integer_codes(
        frame,
        "time_precision",
        TIME_PRECISION,
        problems,
        what="an ACLED time_precision",
    )
    dates = parse_dates(frame["event_date"], rows, "event_date", problems)
    lat, lon = coordinates(frame, problems, lat="latitude", lon="longitude")
    sub_event = _check_types(frame, problems)
    fatalities = pd.to_numeric(frame["fatalities"], errors="coerce")
    bad = (frame["fatalities"] != "") & ~(
        (fatalities >= 0) & (fatalities == np.floor(fatalities))
    )
    problems.add_rows(
        bad,
        rows,
        "fatalities",
        lambda v: f"'{v}' is not a count of deaths; expected a whole number, 0 or more",
        frame["fatalities"],
    )
    problems.raise_if_any()
    return _build(frame, name, geo, time, dates, lat, lon, sub_event, fatalities)


def _build(
    frame: pd.DataFrame,
    name: str,
    geo: pd.Series,
    time: pd.Series,
    dates: pd.Series,
    lat: pd.Series,
    lon: pd.Series,
    sub_event: pd.Series,
    fatalities: pd.Series,
) -> Tables:
    _, admin1 = reference_frames()
    country = country_codes(frame["country"], frame["iso3"])
    admin1_ref = admin1_names(frame["admin1"], country, admin1)
    province = geo == 3
    drawn_province = province & (admin1_ref != "")
    listed_only = province & (admin1_ref == "")
    placed = place(
        geo.map({k: v[0] for k, v in GEO_PRECISION.items()}).astype(str),
        geo.map({k: v[1] for k, v in GEO_PRECISION.items()}).astype(float),
        lon,
        lat,
        country,
        admin1_ref,
        province=province,
        source="ACLED",
    )
    klass, radius = placed.klass, placed.radius

    start, end, native_time = _date_spans(dates, time)
    notes = _notes(
        frame, geo, time, klass, radius, admin1_ref, drawn_province, listed_only
    )

    outlet_sources, outlet_ids = text_sources(frame["source"], prefix="acled-src")
    outlet_count = outlet_ids.str.count(";") + (outlet_ids != "").astype(int)
    dataset = pd.DataFrame(
        [
            {
                "source_id": DATASET_SOURCE_ID,
                "title": f"ACLED export {name}",
                "outlet": "ACLED (Armed Conflict Location & Event Data)",
                "published": "",
                "url": "",
            }
        ],
        columns=list(SOURCE_COLUMNS),
    )
    sources = pd.concat([dataset, outlet_sources], ignore_index=True)
    sources["_row"] = 0
    event_sources = (DATASET_SOURCE_ID + "; " + outlet_ids).str.rstrip("; ")

    location = frame["location"].where(frame["location"] != "", frame["admin1"])
    title = sub_event + ": " + location
    geo_cell, where_cell = native_codes(
        klass, acled=frame["geo_precision"], ucdp=pd.Series("", index=frame.index)
    )
    events = events_frame(
        {
            "event_id": frame["event_id_cnty"],
            "title": title,
            "date_start": iso_dates(start),
            "date_end": iso_dates(end),
            "time_precision": whole_number_text(native_time),
            "event_type": frame["event_type"],
            "sub_event_type": sub_event,
            "country": country,
            "admin1": admin1_ref.where(admin1_ref != "", frame["admin1"]),
            "location": placed.location.where(placed.location != "", location),
            "lat": placed.lat.round(5).astype(str),
            "lon": placed.lon.round(5).astype(str),
            "candidates": placed.candidates,
            "precision_class": klass,
            "geo_precision": geo_cell,
            "where_prec": where_cell,
            "uncertainty_m": radius_text(radius),
            "constraints": placed.constraints,
            "confidence": np.where(outlet_count >= 2, "fair", "weak"),
            "description": frame["notes"],
            "notes": notes,
            "source_ids": event_sources,
            "_row": frame["_row"],
        },
        frame.index,
    )
    counted = frame["fatalities"] != ""
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
    claims = claims[counted.to_numpy()].reset_index(drop=True)
    return Tables(events, claims, sources)


def _notes(
    frame: pd.DataFrame,
    geo: pd.Series,
    time: pd.Series,
    klass: pd.Series,
    radius: pd.Series,
    admin1_ref: pd.Series,
    drawn_province: pd.Series,
    listed_only: pd.Series,
) -> pd.Series:
    """Where each shape came from (the derivation) and what ACLED coded."""
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
        + "' is not among the reference outlines (Iraq and Syria): listed as "
        "country-only, not drawn."
    )
    actors = ("ACLED actors (not directional): " + frame["actor1"]).where(
        frame["actor1"] != "", ""
    )
    actors = actors + ("; " + frame["actor2"]).where(frame["actor2"] != "", "")
    return (
        shape
        + " Time: ACLED time_precision "
        + time.astype(str)
        + "."
        + (" " + actors).where(actors != "", "")
    )


def read(data: bytes, *, name: str) -> Catalogue:
    """Read an ACLED CSV export as a checked catalogue.

    Raises
    ------
    CatalogueError
        Naming the file, row and ACLED column of every problem.
    """
    return to_catalogue(to_tables(data, name=name), name=name)

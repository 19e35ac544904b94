"""Import a UCDP GED CSV into the native catalogue, precision kept honest.

UCDP's ``where_prec`` runs from 1 (exact) to 7 (over water or in airspace).
1 is a site (P1); 2 (an area around a named place) and 3 (a district, its
centroid) are P3 discs without a pin; 4 (a province, its centroid) is the
governorate (P4); 5 is a part of the country (P5); 6 the whole country (P6,
listed, not drawn); 7 an estimated disc at sea or in the air. UCDP's low, best
and high death counts stay UCDP's claims, never summed with anyone else's.
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
from layers.catalogue.model import SOURCE_COLUMNS, Catalogue

#: The columns a UCDP GED file must have (others are ignored or optional).
REQUIRED_COLUMNS = (
    "id",
    "date_start",
    "date_end",
    "date_prec",
    "where_prec",
    "latitude",
    "longitude",
    "country",
    "adm_1",
    "best",
    "low",
    "high",
)
#: Columns used when present.
OPTIONAL_COLUMNS = (
    "side_a",
    "side_b",
    "source_article",
    "type_of_violence",
    "conflict_name",
    "dyad_name",
    "where_coordinates",
    "where_description",
    "source_headline",
)
#: Native column -> the UCDP column it comes from (for messages).
ORIGINAL_COLUMNS = {
    "event_id": "id",
    "date_start": "date_start",
    "date_end": "date_end",
    "time_precision": "date_prec",
    "country": "country",
    "admin1": "adm_1",
    "location": "where_coordinates",
    "lat": "latitude",
    "lon": "longitude",
    "candidates": "latitude",
    "precision_class": "where_prec",
    "where_prec": "where_prec",
    "uncertainty_m": "where_prec",
    "constraints": "adm_1",
    "description": "source_headline",
    "source_ids": "source_article",
    "applies_to": "id",
    "killed_low": "low",
    "killed_high": "high",
    "source_id": "source_article",
}
#: Header names that tell a UCDP GED file apart from other CSV files.
SIGNATURE = ("where_prec", "date_prec", "best")

#: UCDP's convention for "a limited area around a named place" when the
#: description states no distance (UCDP GED codebook: up to about 25 km).
DEFAULT_AREA_RADIUS_M = 25_000.0
#: A district (second-order division) around its centroid: the P3 bound.
DISTRICT_RADIUS_M = 50_000.0
#: UCDP 7: coordinates estimated over water or in airspace.
WATER_RADIUS_M = 50_000.0

#: UCDP ``where_prec`` -> (precision class, radius in metres; None when it
#: comes from a stated distance or an outline, what UCDP means).
WHERE_PREC: dict[int, tuple[str, float | None, str]] = {
    1: ("P1", 100.0, "exact location"),
    2: ("P3", None, "a limited area around a named place"),
    3: ("P3", DISTRICT_RADIUS_M, "a district (second-order division), its centroid"),
    4: ("P4", None, "a province (first-order division), its centroid"),
    5: ("P5", None, "a part of the country larger than a province"),
    6: ("P6", None, "the whole country"),
    7: ("P3", WATER_RADIUS_M, "over water or in airspace, estimated coordinates"),
}
#: UCDP ``date_prec`` -> native time precision (1 exact date, 2 within about
#: a week, 3 month or coarser). UCDP's own date_start/date_end give the span.
DATE_PREC: dict[int, int] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
#: UCDP ``type_of_violence`` -> ACLED event type and sub-event type.
VIOLENCE_TYPES: dict[str, tuple[str, str]] = {
    "1": ("Battles", "Armed clash"),
    "2": ("Battles", "Armed clash"),
    "3": ("Violence against civilians", "Attack"),
}
DEFAULT_VIOLENCE_TYPE = ("Battles", "Armed clash")
DATASET_SOURCE_ID = "ucdp-ged"
CLAIMANT = "UCDP GED"

_DISTANCE = r"(\d+(?:\.\d+)?)\s*(km|kilometres|kilometers|mi|miles)\b"


def looks_like(header: list[str]) -> bool:
    """Whether a CSV header is that of a UCDP GED file."""
    return all(column in header for column in SIGNATURE)


def stated_radius_m(text: pd.Series) -> pd.Series:
    """The distance stated in UCDP's place description, in metres (NaN if none)."""
    found = text.str.extract(_DISTANCE, flags=2)  # re.IGNORECASE
    value = pd.to_numeric(found[0], errors="coerce")
    miles = found[1].str.lower().str.startswith("mi").fillna(False)
    return value.where(~miles, value * 1609.344).where(miles, value * 1000.0)


def _counts(frame: pd.DataFrame, problems: Problems) -> dict[str, pd.Series]:
    out = {}
    for column in ("low", "best", "high"):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = (frame[column] != "") & ~((values >= 0) & (values == np.floor(values)))
        problems.add_rows(
            bad,
            frame["_row"],
            column,
            lambda v: (
                f"'{v}' is not a count of deaths; expected a whole number, 0 or more"
            ),
            frame[column],
        )
        out[column] = values.where(~bad)
    for lower, upper in (("low", "best"), ("best", "high"), ("low", "high")):
        bad = out[lower] > out[upper]
        problems.add_rows(
            bad,
            frame["_row"],
            upper,
            lambda v, lower=lower, upper=upper: (
                f"{upper} {v} is below {lower}; "
                "UCDP's counts must run low <= best <= high"
            ),
            frame[upper],
        )
    return out


def to_tables(data: bytes, *, name: str) -> Tables:
    """The native tables of a UCDP GED CSV file.

    Parameters
    ----------
    data
        The file's bytes (UTF-8 CSV with UCDP GED's header).
    name
        The file name shown in messages.

    Returns
    -------
    Events; claims by UCDP GED (its best estimate, and its low-high range,
    one row each); sources (the dataset, and each article UCDP cites,
    without URL).

    Raises
    ------
    CatalogueErrors
        Every cell that breaks UCDP's format, by row and UCDP column.
    """
    frame = read_csv_strings(data, name=name)
    require_columns(frame, REQUIRED_COLUMNS, name=name, what="a UCDP GED file")
    if frame.empty:
        raise CatalogueError(name, "has a header but no events")
    for column in OPTIONAL_COLUMNS:
        if column not in frame:
            frame[column] = ""
    problems = Problems(name)
    rows = frame["_row"]
    problems.add_rows(
        frame["id"] == "",
        rows,
        "id",
        lambda v: "is empty; UCDP's event id is required",
        frame["id"],
    )
    where = integer_codes(
        frame, "where_prec", WHERE_PREC, problems, what="a UCDP where_prec"
    )
    date_prec = integer_codes(
        frame, "date_prec", DATE_PREC, problems, what="a UCDP date_prec"
    )
    start = parse_dates(frame["date_start"], rows, "date_start", problems)
    end = parse_dates(frame["date_end"], rows, "date_end", problems)
    problems.add_rows(
        end < start,
        rows,
        "date_end",
        lambda v: f"'{v}' is before date_start",
        frame["date_end"],
    )
    lat, lon = coordinates(frame, problems, lat="latitude", lon="longitude")
    counts = _counts(frame, problems)
    problems.raise_if_any()
    return _build(frame, name, where, date_prec, start, end, lat, lon, counts)


def _build(
    frame: pd.DataFrame,
    name: str,
    where: pd.Series,
    date_prec: pd.Series,
    start: pd.Series,
    end: pd.Series,
    lat: pd.Series,
    lon: pd.Series,
    counts: dict[str, pd.Series],
) -> Tables:
    _, admin1 = reference_frames()
    country = country_codes(frame["country"])
    admin1_ref = admin1_names(frame["adm_1"], country, admin1)
    radius = where.map({k: v[1] for k, v in WHERE_PREC.items()}).astype(float)
    stated = stated_radius_m(frame["where_description"])
    area = where == 2
    radius[area] = stated[area].fillna(DEFAULT_AREA_RADIUS_M)
    klass = where.map({k: v[0] for k, v in WHERE_PREC.items()}).astype(str)
    klass[area & (radius > 50_000)] = "P5"
    placed = place(
        klass,
        radius,
        lon,
        lat,
        country,
        admin1_ref,
        province=where == 4,
        source="UCDP",
    )
    water = where == 7
    constraints = placed.constraints.where(~water, "")
    geo_cell, where_cell = native_codes(
        placed.klass, acled=pd.Series("", index=frame.index), ucdp=frame["where_prec"]
    )

    outlet_sources, outlet_ids = text_sources(
        frame["source_article"], prefix="ucdp-src"
    )
    outlet_count = outlet_ids.str.count(";") + (outlet_ids != "").astype(int)
    dataset = pd.DataFrame(
        [
            {
                "source_id": DATASET_SOURCE_ID,
                "title": f"UCDP Georeferenced Event Dataset file {name}",
                "outlet": "UCDP (Uppsala Conflict Data Program)",
                "published": "",
                "url": "",
            }
        ],
        columns=list(SOURCE_COLUMNS),
    )
    sources = pd.concat([dataset, outlet_sources], ignore_index=True)
    sources["_row"] = 0
    event_sources = (DATASET_SOURCE_ID + "; " + outlet_ids).str.rstrip("; ")

    kinds = frame["type_of_violence"].map(VIOLENCE_TYPES)
    kinds = kinds.where(kinds.notna(), pd.Series([DEFAULT_VIOLENCE_TYPE] * len(frame)))
    sides = frame["side_a"] + " - " + frame["side_b"]
    who = frame["dyad_name"].where(frame["dyad_name"] != "", sides.str.strip(" -"))
    place_name = frame["where_coordinates"]
    for fallback in (frame["adm_1"], frame["country"]):
        place_name = place_name.where(place_name != "", fallback)
    title = (who + ": " + place_name).str.lstrip(": ")
    event_id = "UCDP-" + frame["id"]
    events = events_frame(
        {
            "event_id": event_id,
            "title": title,
            "date_start": iso_dates(start),
            "date_end": iso_dates(end),
            "time_precision": whole_number_text(date_prec.map(DATE_PREC)),
            "event_type": kinds.str[0],
            "sub_event_type": kinds.str[1],
            "country": country,
            "admin1": admin1_ref.where(admin1_ref != "", frame["adm_1"]),
            "location": placed.location.where(placed.location != "", place_name),
            "lat": placed.lat.round(5).astype(str),
            "lon": placed.lon.round(5).astype(str),
            "candidates": placed.candidates,
            "precision_class": placed.klass,
            "geo_precision": geo_cell,
            "where_prec": where_cell,
            "uncertainty_m": radius_text(placed.radius),
            "constraints": constraints,
            "confidence": np.where(outlet_count >= 2, "fair", "weak"),
            "description": frame["source_headline"].where(
                frame["source_headline"] != "", frame["where_description"]
            ),
            "notes": _notes(frame, where, date_prec, placed.klass, placed.radius),
            "source_ids": event_sources,
            "_row": frame["_row"],
        },
        frame.index,
    )
    claims = _claims(event_id, counts, event_sources, frame["_row"])
    return Tables(events, claims, sources)


def _claims(
    event_id: pd.Series,
    counts: dict[str, pd.Series],
    event_sources: pd.Series,
    rows: pd.Series,
) -> pd.DataFrame:
    best = counts["best"]
    has_best = best.notna()
    has_range = counts["low"].notna() | counts["high"].notna()
    best_claims = claims_frame(
        {
            "applies_to": event_id,
            "claimant": f"{CLAIMANT} (best estimate)",
            "killed_low": whole_number_text(best),
            "killed_high": whole_number_text(best),
            "detail": "UCDP's best estimate of deaths, as published.",
            "source_ids": event_sources,
            "_row": rows,
        },
        event_id.index,
    )[has_best.to_numpy()]
    range_claims = claims_frame(
        {
            "applies_to": event_id,
            "claimant": f"{CLAIMANT} (low and high estimates)",
            "killed_low": whole_number_text(counts["low"]),
            "killed_high": whole_number_text(counts["high"]),
            "detail": "UCDP's low and high estimates of deaths; its best "
            "estimate is the other UCDP claim, not a third figure to add.",
            "source_ids": event_sources,
            "_row": rows,
        },
        event_id.index,
    )[has_range.to_numpy()]
    return pd.concat([best_claims, range_claims], ignore_index=True)


def _notes(
    frame: pd.DataFrame,
    where: pd.Series,
    date_prec: pd.Series,
    klass: pd.Series,
    radius: pd.Series,
) -> pd.Series:
    """Where each shape came from (the derivation) and what UCDP coded."""
    meaning = where.map({k: v[2] for k, v in WHERE_PREC.items()})
    km = (radius / 1000).round(1).astype(str).str.removesuffix(".0")
    drawn = pd.Series("", index=frame.index)
    drawn[klass == "P1"] = "drawn at UCDP's point, within 100 m"
    disc = klass.isin(("P3", "P5")) & (where != 7)
    drawn[disc] = (
        "a disc of " + km[disc] + " km around UCDP's point, cut to the areas named "
        "in constraints, no pin"
    )
    stated = (where == 2) & stated_radius_m(frame["where_description"]).notna()
    drawn[stated] = drawn[stated] + " (the distance stated by UCDP)"
    default = (where == 2) & ~stated
    drawn[default] = drawn[default] + " (no distance stated: UCDP's 25 km convention)"
    drawn[klass == "P4"] = (
        "the " + frame["adm_1"][klass == "P4"] + " governorate (Natural Earth "
        "admin-1) inside the smallest circle that holds it, not UCDP's centroid"
    )
    drawn[klass == "P6"] = "listed as country-only, not drawn"
    drawn[where == 7] = (
        "an estimated disc of " + km[where == 7] + " km at sea or in the air, no pin"
    )
    sides = ("UCDP sides (not attacker and target): " + frame["side_a"]).where(
        frame["side_a"] != "", ""
    )
    sides = sides + (" vs " + frame["side_b"]).where(frame["side_b"] != "", "")
    return (
        "Location: UCDP where_prec "
        + where.astype(str)
        + " ("
        + meaning
        + "): "
        + drawn
        + ". Time: UCDP date_prec "
        + date_prec.astype(str)
        + "; the span is UCDP's date_start to date_end."
        + (" " + sides).where(sides != "", "")
    )


def read(data: bytes, *, name: str) -> Catalogue:
    """Read a UCDP GED CSV file as a checked catalogue.

    Raises
    ------
    CatalogueError
        Naming the file, row and UCDP column of every problem.
    """
    return to_catalogue(to_tables(data, name=name), name=name)

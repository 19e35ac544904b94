"""Columns of imported files as native cells: codes, coordinates, counts, sources.

Everything works on whole columns (an ACLED export runs to hundreds of
thousands of rows); loops run per distinct value or per problem found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import partial

import pandas as pd

from layers.catalogue.importers.rows import RowErrors
from layers.catalogue.model import PRECISION_CLASSES, SOURCE_COLUMNS

#: The ACLED and UCDP codes written beside each class in the native tables
#: (the crosswalk of ``schema.PRECISION_CLASSES``; the source's own code is
#: kept in the event's notes).
NATIVE_CODES: dict[str, tuple[str, str]] = {
    klass: (
        str(spec.acled[0]) if spec.acled else "",
        str(spec.ucdp[0]) if spec.ucdp else "",
    )
    for klass, spec in PRECISION_CLASSES.items()
}

#: Country names as ACLED and UCDP spell them, to the code the reference
#: countries use (Natural Earth ``ADM0_A3``; ISO 3166 alpha-3 except


def integer_codes(
    frame: pd.DataFrame,
    column: str,
    allowed: Iterable[int],
    problems: RowErrors,
    *,
    what: str,
) -> pd.Series:
    """The whole-number codes of *column*; problems for cells not in *allowed*.

    Returns
    -------
    Int64 series (NA where the cell was bad).
    """
    allowed = tuple(allowed)
    numbers = pd.to_numeric(frame[column], errors="coerce")
    ok = numbers.isin(allowed)
    expected = ", ".join(map(str, allowed[:-1])) + f" or {allowed[-1]}"
    problems.add_rows(
        ~ok,
        frame["_row"],
        column,
        lambda v: (
            f"'{v}' is not {what}; expected {expected}"
            if v
            else f"is empty; {what} is required ({expected})"
        ),
        frame[column],
    )
    return numbers.where(ok).astype("Int64")


def coordinates(
    frame: pd.DataFrame, problems: RowErrors, *, lat: str, lon: str
) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude as floats, with problems for bad or missing cells."""
    out = []
    for column, limit in ((lat, 90.0), (lon, 180.0)):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = ~values.between(-limit, limit)
        problems.add_rows(
            bad,
            frame["_row"],
            column,
            partial(_degree_problem, limit=limit),
            frame[column],
        )
        out.append(values)
    return out[0], out[1]


def _degree_problem(value: str, *, limit: float) -> str:
    if value:
        return f"'{value}' is not a decimal degree between {-limit:g} and {limit:g}"
    return f"is empty; a decimal degree between {-limit:g} and {limit:g} is required"


def text_sources(
    texts: pd.Series, *, prefix: str, separator: str = ";"
) -> tuple[pd.DataFrame, pd.Series]:
    """Sources from free-text citations (ACLED ``source``, UCDP ``source_article``).

    Each piece between separators becomes a source whose title is the text
    itself and whose outlet is the text before its first comma (UCDP writes
    "Outlet,date,headline"); no URL is invented. Identical texts share one
    source id, a short hash of the text, so an outlet cited by many events is
    one source.

    Returns
    -------
    The sources table (all strings) and, per row of *texts*, its ``;``-joined
    source ids ("" where the text was empty).
    """
    cells = pd.Series(pd.unique(texts.astype(str)), dtype=str)
    pieces = cells.str.split(separator).explode().str.strip()
    pieces = pieces[pieces.fillna("") != ""]
    unique = pd.Series(pieces.unique(), dtype=str)
    ids = unique.map(lambda t: f"{prefix}-{hashlib.sha1(t.encode()).hexdigest()[:10]}")
    id_of = dict(zip(unique, ids, strict=True))
    sources = pd.DataFrame(
        {
            "source_id": ids,
            "title": unique.str.slice(0, 500),
            "outlet": unique.str.split(",").str[0].str.strip().str.slice(0, 120),
            "published": unique.str.extract(
                r",\s*(\d{4}-\d{2}-\d{2})\b", expand=False
            ).fillna(""),
            "url": "",
        },
        columns=list(SOURCE_COLUMNS),
    )
    # One join per distinct citation text, not per row.
    per_cell = {
        cell: "; ".join(
            dict.fromkeys(id_of[p.strip()] for p in cell.split(separator) if p.strip())
        )
        for cell in cells
    }
    joined = texts.astype(str).map(per_cell)
    return sources, joined.fillna("").astype(str)


def whole_number_text(values: pd.Series) -> pd.Series:
    """Whole numbers as text, "" where missing."""
    return values.astype("Int64").astype(str).replace("<NA>", "")


def radius_text(values: pd.Series) -> pd.Series:
    """Radii in metres as text without a trailing ``.0``."""
    return values.round(0).astype("int64").astype(str)


def native_codes(
    klass: pd.Series, *, acled: pd.Series, ucdp: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """The ``geo_precision`` and ``where_prec`` cells for each class.

    A source code that belongs to the class in the crosswalk is kept (UCDP 3
    stays 3, UCDP 7 over water stays 7); otherwise the class's first code.
    """
    out = []
    for position, given in ((0, acled), (1, ucdp)):
        default = klass.map(NATIVE_CODES).str[position]
        allowed = {
            f"{k}:{c}"
            for k, spec in PRECISION_CLASSES.items()
            for c in (spec.acled, spec.ucdp)[position]
        }
        text = given.astype("string").fillna("").astype(str)
        keep = (klass.astype(str) + ":" + text).isin(allowed)
        if position == 1:
            keep |= text == "7"
        out.append(text.where(keep, default))
    return out[0], out[1]

"""What the importers share: cell checks, place names, honest radii, native tables.

ACLED, UCDP and drawn-feature files are turned into the three native tables
(events, claims, sources: all-string frames with the schema's columns), then
checked by the native validator like any catalogue. Everything here works on
whole columns: an ACLED export runs to hundreds of thousands of rows, so no
Python loop runs per row; loops run per distinct place or per problem found.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from geo.crs import WGS84, aeqd_crs
from layers.catalogue.check.rules import validate_tables
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.importers.csv_text import decode_csv
from layers.catalogue.model import (
    CLAIM_COLUMNS,
    EVENT_COLUMNS,
    PRECISION_CLASSES,
    SOURCE_COLUMNS,
    Catalogue,
)
from layers.catalogue.reference import REFERENCE_DIR, read_reference_file

_GEOD = Geod(ellps="WGS84")

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
#: Palestine, PSX). Keys are normalised by :func:`name_key`.
COUNTRY_CODES: dict[str, str] = {
    "iraq": "IRQ",
    "syria": "SYR",
    "syrianarabrepublic": "SYR",
    "iran": "IRN",
    "iranislamicrepublicof": "IRN",
    "turkey": "TUR",
    "turkiye": "TUR",
    "jordan": "JOR",
    "lebanon": "LBN",
    "israel": "ISR",
    "palestine": "PSX",
    "stateofpalestine": "PSX",
    "saudiarabia": "SAU",
    "kuwait": "KWT",
    "bahrain": "BHR",
    "qatar": "QAT",
    "unitedarabemirates": "ARE",
    "uae": "ARE",
    "oman": "OMN",
    "egypt": "EGY",
    "cyprus": "CYP",
    "turkmenistan": "TKM",
    # Outside the reference map (no outline to draw with), but ISO codes
    # are still the honest country cell.
    "yemen": "YEM",
    "afghanistan": "AFG",
    "pakistan": "PAK",
    "libya": "LBY",
    "sudan": "SDN",
    "azerbaijan": "AZE",
    "armenia": "ARM",
    "georgia": "GEO",
}

#: Governorate names as ACLED, UCDP, GeoNames and common transliterations
#: spell them, to the reference admin-1 name (Natural Earth). Keys are
#: normalised by :func:`name_key` (accents, case, articles, punctuation and
#: words like "governorate" dropped); the reference's own ``name`` and
#: ``gn_name`` are matched as well.
ADMIN1_ALIASES: dict[str, str] = {
    # Iraq
    "anbar": "Al-Anbar",
    "basra": "Al-Basrah",
    "basrah": "Al-Basrah",
    "muthanna": "Al-Muthannia",
    "qadisiyah": "Al-Qādisiyyah",
    "qadisiya": "Al-Qādisiyyah",
    "qadisiyyah": "Al-Qādisiyyah",
    "diwaniyah": "Al-Qādisiyyah",
    "najaf": "An-Najaf",
    "erbil": "Arbil",
    "irbil": "Arbil",
    "arbil": "Arbil",
    "hawler": "Arbil",
    "sulaymaniyah": "As-Sulaymaniyah",
    "sulaimaniyah": "As-Sulaymaniyah",
    "sulaymaniya": "As-Sulaymaniyah",
    "kirkuk": "At-Ta'mim",
    "tamim": "At-Ta'mim",
    "babil": "Babil",
    "babylon": "Babil",
    "dhiqar": "Dhi-Qar",
    "thiqar": "Dhi-Qar",
    "duhok": "Dihok",
    "dohuk": "Dihok",
    "dahuk": "Dihok",
    "diyala": "Diyala",
    "karbala": "Karbala'",
    "kerbala": "Karbala'",
    "maysan": "Maysan",
    "missan": "Maysan",
    "ninewa": "Ninawa",
    "nineveh": "Ninawa",
    "ninawa": "Ninawa",
    "salahdin": "Sala ad-Din",
    "salahuddin": "Sala ad-Din",
    "saladin": "Sala ad-Din",
    "salaheddin": "Sala ad-Din",
    "wasit": "Wasit",
    # Syria
    "aleppo": "Aleppo",
    "halab": "Aleppo",
    "raqqa": "Ar Raqqah",
    "raqqah": "Ar Raqqah",
    "sweida": "As Suwayda'",
    "suwayda": "As Suwayda'",
    "sweyda": "As Suwayda'",
    "damascus": "Damascus",
    "dimashq": "Damascus",
    "dara": "Dar`a",
    "daraa": "Dar`a",
    "deirzor": "Dayr Az Zawr",
    "deirezzor": "Dayr Az Zawr",
    "deirazzor": "Dayr Az Zawr",
    "dayrzawr": "Dayr Az Zawr",
    "dayrzor": "Dayr Az Zawr",
    "deirzzor": "Dayr Az Zawr",
    "dayrezzor": "Dayr Az Zawr",
    "dairzor": "Dayr Az Zawr",
    "hama": "Hamah",
    "hamah": "Hamah",
    "hasakeh": "Hasaka (Al Haksa)",
    "hasakah": "Hasaka (Al Haksa)",
    "hasaka": "Hasaka (Al Haksa)",
    "homs": "Homs (Hims)",
    "hims": "Homs (Hims)",
    "idleb": "Idlib",
    "idlib": "Idlib",
    "lattakia": "Lattakia",
    "latakia": "Lattakia",
    "ladhiqiyah": "Lattakia",
    "quneitra": "Quneitra",
    "qunaytirah": "Quneitra",
    "ruraldamascus": "Rif Dimashq",
    "rifdimashq": "Rif Dimashq",
    "damascuscountryside": "Rif Dimashq",
    "tartous": "Tartus",
    "tartus": "Tartus",
}

_ARTICLES = frozenset(
    [
        "al",
        "el",
        "ar",
        "as",
        "ad",
        "an",
        "at",
        "ash",
        "az",
        "ad",
        "ez",
        "es",
        "ed",
        "en",
        "et",
        "ul",
    ]
    + ["governorate", "province", "muhafazat", "muhafazah", "mohafazat", "wilayat"]
)
#: Computed radii are rounded up to this (metres), so a circle never cuts its area.
ROUND_UP_M = 1_000.0


def name_key(text: str) -> str:
    """A place name reduced for matching: no accents, case, articles or punctuation.

    ``"Al-Anbar"``, ``"Anbar governorate"`` and ``"al Anbār"`` all give ``anbar``.
    """
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    words = re.split(r"[^a-z0-9]+", plain)
    return "".join(w for w in words if w and w not in _ARTICLES)


def per_value(values: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """*func* of each cell, computed once per distinct value (exports repeat)."""
    distinct = pd.unique(values.astype(str))
    return values.astype(str).map(dict(zip(distinct, map(func, distinct), strict=True)))


class Tables(NamedTuple):
    """The three native tables an importer produces (all-string frames).

    Each frame has the schema's columns plus ``_row``: the row or feature
    number in the original file, for messages.
    """

    events: pd.DataFrame
    claims: pd.DataFrame
    sources: pd.DataFrame


@dataclass
class Problems:
    """Problems found in one file, collected so the user sees them all at once.

    Attributes
    ----------
    name
        The file name shown in messages.
    unit
        ``"row"`` for tables (spreadsheet rows, header = row 1) or
        ``"feature"`` for vector files (1 = the first feature).
    """

    name: str
    unit: str = "row"
    errors: list[CatalogueError] = field(default_factory=list)

    def add(self, problem: str, *, row: int | None = None, column: str | None = None):
        """Record one problem."""
        self.errors.append(self.error(problem, row=row, column=column))

    def error(
        self, problem: str, *, row: int | None = None, column: str | None = None
    ) -> CatalogueError:
        """One problem as an error (not recorded)."""
        if self.unit == "row" or row is None:
            return CatalogueError(self.name, problem, row=row, column=column)
        return FeatureError(self.name, problem, feature=row, column=column)

    def add_rows(
        self,
        bad: pd.Series,
        rows: pd.Series,
        column: str,
        problem: Callable[[str], str],
        values: pd.Series,
    ) -> None:
        """Record *problem* for every row where *bad* holds (one message each)."""
        for row, value in zip(rows[bad], values[bad], strict=True):
            self.add(problem(str(value)), row=int(row), column=column)

    def raise_if_any(self) -> None:
        """Raise the collected problems, if any.

        Raises
        ------
        CatalogueErrors
            Every problem recorded so far.
        """
        if self.errors:
            raise CatalogueErrors(sorted(self.errors, key=lambda e: e.row or 0))


class FeatureError(CatalogueError):
    """A problem with one feature of a vector file (GeoJSON, GeoPackage, KML).

    Like :class:`CatalogueError`, but the message says "feature N" rather than
    "row N"; ``row`` holds the feature number (1 = the first feature).
    """

    def __init__(
        self, path: str, problem: str, *, feature: int, column: str | None = None
    ) -> None:
        super().__init__(path, problem, row=feature, column=column)
        where = f"{self.path}, feature {feature}"
        if column is not None:
            where += f", column '{column}'"
        self.args = (f"{where}: {problem}",)

    @property
    def where(self) -> str:
        """``<file>, feature <n>, column '<col>'`` (as much as is known)."""
        return str(self.args[0]).split(": ", 1)[0]


def read_csv_strings(data: bytes, *, name: str) -> pd.DataFrame:
    """Read CSV bytes as an all-string frame (empty cells are "").

    Header names are stripped; a ``_row`` column holds the spreadsheet row
    of each record (header = row 1).

    Raises
    ------
    CatalogueError
        If the bytes are not CSV with a header row (in the encodings and
        with the separators ``csv_text.decode_csv`` tells apart).
    """
    text, separator, _ = decode_csv(data, name=name)
    if not text.strip():
        raise CatalogueError(name, "the file is empty; expected a header row")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=False,
            on_bad_lines="error",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[-1]
        match = re.search(r"line (\d+), saw (\d+)", detail)
        if match:
            raise CatalogueError(
                name,
                f"has {match[2]} cells where the header has fewer; check for "
                "an unquoted comma",
                row=int(match[1]),
            ) from None
        raise CatalogueError(name, f"not valid CSV ({detail})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda s: s.str.strip())
    frame["_row"] = np.arange(2, len(frame) + 2)
    return frame


def require_columns(
    frame: pd.DataFrame, columns: Sequence[str], *, name: str, what: str
) -> None:
    """Raise if *frame* lacks any of *columns*.

    Raises
    ------
    CatalogueError
        Naming the missing columns and the file.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CatalogueError(
            name,
            f"missing column(s) {', '.join(missing)}; {what} needs at least: "
            f"{', '.join(columns)}",
            row=1,  # the header
            column=missing[0],
        )


def integer_codes(
    frame: pd.DataFrame,
    column: str,
    allowed: Iterable[int],
    problems: Problems,
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
    frame: pd.DataFrame, problems: Problems, *, lat: str, lon: str
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
            lambda v, limit=limit: (
                f"'{v}' is not a decimal degree between {-limit:g} and {limit:g}"
                if v
                else f"is empty; a decimal degree between {-limit:g} and "
                f"{limit:g} is required"
            ),
            frame[column],
        )
        out.append(values)
    return out[0], out[1]


#: Date formats tried in turn on the cells the previous ones could not read.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d-%B-%Y",
    "%d %b %Y",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%Y%m%d",
)


def parse_dates(
    values: pd.Series, rows: pd.Series, column: str, problems: Problems
) -> pd.Series:
    """Dates from text (ISO 8601, or ACLED's "29 December 2019" forms).

    A time part after the date (UCDP's ``2019-12-29 00:00:00.000``) is ignored.
    """
    text = values.str.strip()
    # ISO 8601 with or without a time, and 2019/12/29 00:00:00 (Google Earth,
    # QGIS): the date part only.
    iso = text.str.extract(r"^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ].*)?$", expand=True)
    text = (iso[0] + "-" + iso[1] + "-" + iso[2]).fillna(text)
    ambiguous = _ambiguous_order(text)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    problems.add_rows(
        ambiguous,
        rows,
        column,
        lambda v: (
            f"'{v}' is ambiguous (day/month or month/day?); expected YYYY-MM-DD "
            "or ACLED's '29 December 2019'"
        ),
        values,
    )
    for fmt in DATE_FORMATS:
        todo = parsed.isna() & (text != "") & ~ambiguous
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    problems.add_rows(
        parsed.isna() & ~ambiguous,
        rows,
        column,
        lambda v: (
            f"'{v}' is not a date; expected YYYY-MM-DD or ACLED's '29 December 2019'"
            if v
            else "is empty; a date is required"
        ),
        values,
    )
    return parsed


def _ambiguous_order(text: pd.Series) -> pd.Series:
    # 03/04/2019 reads as 3 April or 4 March: refused, never guessed.
    parts = text.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}$", expand=True)
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    return ((first <= 12) & (second <= 12) & (first != second)).fillna(False)


def iso_dates(values: pd.Series) -> pd.Series:
    """Datetimes as ``YYYY-MM-DD`` text ("" where missing)."""
    return values.dt.strftime("%Y-%m-%d").fillna("")


def country_codes(names: pd.Series, codes: pd.Series | None = None) -> pd.Series:
    """Reference country codes for country names ("" where unknown).

    Parameters
    ----------
    names
        Country names as the file spells them.
    codes
        Alpha-3 codes the file gives, used where they look like one.
    """
    keys = per_value(names, name_key)
    out = keys.map(COUNTRY_CODES).fillna("")
    if codes is not None:
        given = codes.str.strip().str.upper()
        out = out.where(out != "", given.where(given.str.fullmatch(r"[A-Z]{3}"), ""))
    return out


def reference_frames() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The reference countries and admin-1 areas (EPSG:4326)."""
    return (
        read_reference_file(REFERENCE_DIR / "countries.geojson"),
        read_reference_file(REFERENCE_DIR / "admin1.geojson"),
    )


def admin1_names(
    names: pd.Series, countries: pd.Series, admin1: gpd.GeoDataFrame
) -> pd.Series:
    """Reference admin-1 names for admin-1 names as a file spells them.

    A name matches when its :func:`name_key` is that of a reference ``name``
    or ``gn_name``, or of an entry of ``ADMIN1_ALIASES``, and the reference
    area lies in the row's country. Unmatched names give "".
    """
    table: dict[tuple[str, str], str] = {}
    iso = dict(zip(admin1["name"], admin1["iso_a3"], strict=True))
    for ref_name, gn_name, code in zip(
        admin1["name"], admin1["gn_name"], admin1["iso_a3"], strict=True
    ):
        for key in (name_key(ref_name), name_key(gn_name or "")):
            if key:
                table[(code, key)] = ref_name
    for key, ref_name in ADMIN1_ALIASES.items():
        table.setdefault((iso[ref_name], key), ref_name)
    keys = countries.astype(str) + "\x00" + per_value(names, name_key)
    flat = {f"{code}\x00{key}": name for (code, key), name in table.items()}
    return keys.map(flat).fillna("")


@dataclass(frozen=True)
class Circle:
    """The smallest circle holding an area: its centre and geodesic radius."""

    lon: float
    lat: float
    radius_m: float


def _round_up(metres: float) -> float:
    return float(np.ceil(metres / ROUND_UP_M) * ROUND_UP_M)


def enclosing_circle(geometry: shapely.Geometry) -> Circle:
    """The smallest circle (Darwin Core's point-radius) that holds *geometry*.

    The centre is found in an azimuthal equidistant CRS around the area, then
    the radius is measured on the ellipsoid to every vertex and rounded up to
    the next kilometre, so the circle never cuts the area.
    """
    centre = geometry.centroid
    aeqd = aeqd_crs(centre.x, centre.y)
    projected = gpd.GeoSeries([geometry], crs=WGS84).to_crs(aeqd).iloc[0]
    circle_centre = shapely.minimum_bounding_circle(projected).centroid
    back = gpd.GeoSeries([circle_centre], crs=aeqd).to_crs(WGS84).iloc[0]
    return Circle(back.x, back.y, farthest_m(back.x, back.y, geometry))


def farthest_m(lon: float, lat: float, geometry: shapely.Geometry) -> float:
    """Geodesic distance from (*lon*, *lat*) to the farthest vertex, rounded up."""
    xy = shapely.get_coordinates(geometry)
    if len(xy) == 0:
        return ROUND_UP_M
    _, _, distance = _GEOD.inv(
        np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1]
    )
    return _round_up(float(np.max(distance)) * 1.001)


def governorate_circles(admin1: gpd.GeoDataFrame, names: Iterable[str]) -> dict:
    """The enclosing circle of each named reference governorate."""
    geometry = dict(zip(admin1["name"], admin1.geometry, strict=True))
    return {name: enclosing_circle(geometry[name]) for name in set(names) if name}


def country_radii(
    countries: gpd.GeoDataFrame, anchors: pd.DataFrame, cap_m: float
) -> pd.Series:
    """Radius around each anchor that holds its whole (reference) country.

    Parameters
    ----------
    countries
        The reference countries.
    anchors
        Columns ``lon``, ``lat`` (floats) and ``country`` (code).
    cap_m
        The largest radius the class allows; used where the country is not in
        the reference or is farther than that.

    Returns
    -------
    Float series aligned with *anchors*; computed once per distinct anchor.
    """
    geometry = dict(zip(countries["iso_a3"], countries.geometry, strict=True))
    keys = anchors[["lon", "lat", "country"]].drop_duplicates()
    radii = {
        (lon, lat, code): min(farthest_m(lon, lat, geometry[code]), cap_m)
        if code in geometry
        else cap_m
        for lon, lat, code in keys.itertuples(index=False)
    }
    return pd.Series(
        [
            radii[k]
            for k in zip(
                anchors["lon"], anchors["lat"], anchors["country"], strict=True
            )
        ],
        index=anchors.index,
        dtype=float,
    )


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


def native_frame(
    columns: Sequence[str], data: Mapping[str, object], index: pd.Index
) -> pd.DataFrame:
    """A frame with exactly *columns* (missing ones ""), all text, plus ``_row``."""
    frame = pd.DataFrame(index=index)
    for column in (*columns, "_row"):
        value = data.get(column, "")
        frame[column] = value
    for column in columns:
        frame[column] = frame[column].astype(str).replace({"nan": "", "<NA>": ""})
    return frame.reset_index(drop=True)


def events_frame(data: Mapping[str, object], index: pd.Index) -> pd.DataFrame:
    """The native events table from column values (see :func:`native_frame`)."""
    return native_frame(EVENT_COLUMNS, data, index)


def claims_frame(data: Mapping[str, object], index: pd.Index) -> pd.DataFrame:
    """The native claims table from column values (see :func:`native_frame`)."""
    return native_frame(CLAIM_COLUMNS, data, index)


def whole_number_text(values: pd.Series) -> pd.Series:
    """Whole numbers as text, "" where missing."""
    return values.astype("Int64").astype(str).replace("<NA>", "")


def radius_text(values: pd.Series) -> pd.Series:
    """Radii in metres as text without a trailing ``.0``."""
    return values.round(0).astype("int64").astype(str)


def to_catalogue(tables: Tables, *, name: str) -> Catalogue:
    """Check native tables made from file *name* and join them into a catalogue.

    Raises
    ------
    CatalogueError
        If the native validator finds a problem (named after *name*).
    """
    names = {
        "events": f"{name} (as events)",
        "claims": f"{name} (as claims)",
        "sources": f"{name} (as sources)",
    }
    return validate_tables(
        tables.events, tables.claims, tables.sources, names=names, path=name
    )


@dataclass(frozen=True)
class Placement:
    """Where imported events are drawn: class, anchor, radius, constraints."""

    klass: pd.Series
    lon: pd.Series
    lat: pd.Series
    radius: pd.Series
    candidates: pd.Series
    constraints: pd.Series
    location: pd.Series


def place(
    klass: pd.Series,
    radius: pd.Series,
    lon: pd.Series,
    lat: pd.Series,
    country: pd.Series,
    admin1_ref: pd.Series,
    *,
    province: pd.Series,
    source: str,
) -> Placement:
    """Anchor, radius and constraints of imported events, honest to their class.

    Parameters
    ----------
    klass, radius
        The class and radius (metres) each source code gives; radius is NaN
        where it comes from an outline (provinces, countries).
    lon, lat
        The source's coordinates.
    country, admin1_ref
        Reference country code and admin-1 name ("" when not in the reference).
    province
        Rows whose source code means "only the province is known". Those
        whose province is in the reference become P4: anchored at the centre
        of the smallest circle holding the governorate (the source's point,
        a stand-in such as the provincial capital, is kept as a candidate),
        constrained to the governorate. The others become P6 (country only,
        listed, not drawn): no smaller area can be stated honestly.
    source
        The dataset's name, for the candidate label.
    """
    countries, admin1 = reference_frames()
    klass, radius = klass.copy(), radius.copy()
    anchor_lon, anchor_lat = lon.copy(), lat.copy()
    drawn = province & (admin1_ref != "")
    listed = province & (admin1_ref == "")
    klass[drawn], klass[listed] = "P4", "P6"
    candidates = pd.Series("", index=klass.index)
    # The anchor of a drawn province is its circle's centre, named as such.
    location = pd.Series("", index=klass.index)
    location[drawn] = "the centre of the " + admin1_ref[drawn] + " governorate"
    if drawn.any():
        circles = governorate_circles(admin1, admin1_ref[drawn])
        names = admin1_ref[drawn]
        anchor_lon[drawn] = names.map(lambda n: circles[n].lon)
        anchor_lat[drawn] = names.map(lambda n: circles[n].lat)
        # The circle must also hold the source's own point (kept as a candidate).
        _, _, to_source = _GEOD.inv(
            anchor_lon[drawn].to_numpy(),
            anchor_lat[drawn].to_numpy(),
            lon[drawn].to_numpy(),
            lat[drawn].to_numpy(),
        )
        outline = names.map(lambda n: circles[n].radius_m).to_numpy()
        radius[drawn] = np.ceil(np.maximum(outline, to_source * 1.001) / ROUND_UP_M)
        radius[drawn] *= ROUND_UP_M
        candidates[drawn] = (
            f"{source} point (a stand-in for the province) @ "
            + lat[drawn].round(5).astype(str)
            + ", "
            + lon[drawn].round(5).astype(str)
        )
    wide = radius.isna()
    if wide.any():
        anchors = pd.DataFrame(
            {"lon": lon[wide], "lat": lat[wide], "country": country[wide]}
        )
        caps = klass[wide].map(lambda k: PRECISION_CLASSES[k].max_radius_m)
        radius[wide] = np.minimum(
            country_radii(countries, anchors, float(caps.max())), caps
        )
    in_reference = country.isin(set(countries["iso_a3"]))
    country_constraint = ("country:" + country).where(in_reference, "")
    constraints = pd.Series("", index=klass.index)
    area = klass.isin(("P3", "P4", "P5", "P6"))
    constraints[area] = country_constraint[area]
    with_admin1 = (klass.isin(("P3", "P4"))) & (admin1_ref != "")
    constraints[with_admin1] = (
        constraints[with_admin1] + "; admin1:" + admin1_ref[with_admin1]
    ).str.lstrip("; ")
    return Placement(
        klass, anchor_lon, anchor_lat, radius, candidates, constraints, location
    )


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

"""The native catalogue's schema: file names, columns, vocabularies and bounds.

This module is the one place for what a catalogue may hold; the readers, the
importers and the page all take their vocabularies from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

#: The catalogue shipped with the project.
CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "data" / "catalogue"
EVENTS_FILE = "events.csv"
CLAIMS_FILE = "claims.csv"
SOURCES_FILE = "sources.csv"

EVENT_COLUMNS = (
    "event_id",
    "group_id",
    "title",
    "date_start",
    "date_end",
    "time_precision",
    "event_type",
    "sub_event_type",
    "attacker",
    "target",
    "target_kind",
    "country",
    "admin1",
    "location",
    "lat",
    "lon",
    "candidates",
    "precision_class",
    "geo_precision",
    "where_prec",
    "uncertainty_m",
    "constraints",
    "confidence",
    "description",
    "notes",
    "source_ids",
)
CLAIM_COLUMNS = (
    "applies_to",
    "claimant",
    "killed_low",
    "killed_high",
    "wounded_low",
    "wounded_high",
    "detail",
    "source_ids",
)
SOURCE_COLUMNS = ("source_id", "title", "outlet", "published", "url")
#: Optional source columns that make a source evidence (docs: data/README.md):
#: canonical URL, archived copy and its capture time, retrieval date, publisher,
#: language, and a local capture kept by its SHA-256 in the capture store.
SOURCE_EVIDENCE_COLUMNS = (
    "canonical_url",
    "archive_url",
    "archive_captured",
    "retrieved",
    "publisher",
    "language",
    "capture_sha256",
    "capture_file",
)
#: Columns a table may have; a catalogue without them still opens.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"sources": SOURCE_EVIDENCE_COLUMNS}

#: The three tables of a native catalogue, by key, with their columns.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": EVENT_COLUMNS,
    "claims": CLAIM_COLUMNS,
    "sources": SOURCE_COLUMNS,
}
#: The file of each table in a catalogue folder of CSVs.
TABLE_FILES: dict[str, str] = {
    "events": EVENTS_FILE,
    "claims": CLAIMS_FILE,
    "sources": SOURCES_FILE,
}

#: ACLED event types and their sub-event types (ACLED codebook).
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}


class PrecisionClass(NamedTuple):
    """One location-precision class and the source codes that go with it.

    Attributes
    ----------
    meaning
        What the class says about the location.
    acled
        The ACLED ``geo_precision`` codes of the class; empty: ACLED has none,
        so the cell must be empty.
    ucdp
        The UCDP ``where_prec`` codes of the class; empty: UCDP has none, so
        the cell must be empty (or ``UCDP_OVER_WATER``).
    max_radius_m
        The largest ``uncertainty_m`` the class allows, in metres.
    """

    meaning: str
    acled: tuple[int, ...]
    ucdp: tuple[int, ...]
    max_radius_m: float


#: The crosswalk between the project's classes and ACLED/UCDP codes
#: (docs: data/README.md, "Precision classes"). Radius bounds: P1 a site
#: (100 m), P2 a town or facility (10 km), P3 near a place or a district
#: (50 km), P4 a province (400 km: Al-Anbar, the largest, spans ~ 600 km),
#: P5 a region between places or a natural area (600 km), P6 a country
#: (2,000 km: Iran and Saudi Arabia span ~ 2,300 km; a row naming its country
#: may reach as far as the country does, see ``AREA_WIDE_CLASSES``).
PRECISION_CLASSES: dict[str, PrecisionClass] = {
    "P1": PrecisionClass("exact site", (), (1,), 100.0),
    "P2": PrecisionClass("a named town or facility", (1,), (), 10_000.0),
    "P3": PrecisionClass("near a named place, or a district", (2,), (2, 3), 50_000.0),
    "P4": PrecisionClass("province", (3,), (4,), 400_000.0),
    "P5": PrecisionClass(
        "region between places or a named natural area", (3,), (5,), 600_000.0
    ),
    "P6": PrecisionClass("country only", (), (6,), 2_000_000.0),
}
#: Classes whose radius may pass the class's bound when the row names the
#: area it stands for (constraint kind): a province is as wide as it is, and
#: 143 first-order areas of the world reach beyond 400 km from their centre
#: (Ar Riyad 470 km, Tombouctou 635 km, Krasnoyarsk 1,649 km). Such a radius is
#: bounded instead by the named area's farthest point from the row's anchor.
#: Countries too: from Moscow, Russia reaches 6,700 km; the USA, Canada,
#: China, Brazil and Australia reach past 2,000 km from most of their points.
AREA_WIDE_CLASSES = {"P4": "admin1", "P6": "country"}
#: Half the meridian: no two points on the Earth are farther apart.
MAX_RADIUS_M = 20_003_931.0
#: UCDP ``where_prec`` 7: over water or in international airspace (estimated
#: coordinates). It may stand in for the class's UCDP code.
UCDP_OVER_WATER = 7
#: How far the reference outlines (Natural Earth 1:10m) may stray from the true
#: coast or border: a point this much outside its stated country or governorate
#: (beyond its radius) is not taken as an error. Camp Taji stated in Baghdad,
#: 12.7 km outside it, still is.
OUTLINE_ACCURACY_M = 1_000.0
#: Over water, a country's territorial sea (UNCLOS: 12 nautical miles) counts
#: as the country.
TERRITORIAL_SEA_M = 22_224.0
ACLED_GEO_PRECISION = (1, 2, 3)
UCDP_WHERE_PREC = (1, 2, 3, 4, 5, 6, 7)
#: The smallest uncertainty radius, in metres.
MIN_RADIUS_M = 1.0

#: Airwars-style grades of how well the event itself is attested.
CONFIDENCE_GRADES = ("confirmed", "fair", "weak", "contested", "discounted")
TIME_PRECISION = {1: "exact date", 2: "within a week or so", 3: "month only"}

#: Named constraint kinds a strike location can carry (besides its disc).
CONSTRAINT_KINDS = ("country", "admin1", "near", "valley", "corridor")

#: Plausible dates: events and publications from 1900 to a year from today.
EARLIEST_DATE = date(1900, 1, 1)
#: Days after today still accepted (reports dated ahead by time zones or typos
#: of a few days are caught by date_start <= date_end, not here).
FUTURE_DAYS = 366
#: Casualty figures above this are taken as typing errors (the deadliest
#: single events on record are far below it).
MAX_CASUALTIES = 10_000_000

#: How far outside its stated country an imported position may lie and still be
#: accepted (drawn in the area it lies in, or at sea, and said in the
#: derivation): the world outlines are generalised (1:10m; admin-1 inner edges
#: coarser still), and sources place events at towns near borders and coasts.
IMPORT_TOLERANCE_M = 25_000.0


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

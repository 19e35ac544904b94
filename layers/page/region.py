"""Where and when the page opens, and its title, from the catalogue loaded.

The shipped catalogue (the 29 December 2019 strikes) keeps its views, dates
and title. Any other catalogue (an upload, a replaced folder, the team
database) opens on the box of its own events and on its own dates, and is
titled by what it holds, never as the 2019 strikes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd

from geo.safe import markdown_text
from layers.catalogue.model import CATALOGUE_DIR
from layers.map.style import VIEWS
from layers.page.text import PAGE_TITLE, TITLE

#: The seed's region ((south, west), (north, east)): a catalogue whose events
#: all lie in it keeps the seed's views.
SEED_REGION = VIEWS["Region"]
#: What was loaded: the source's key and the uploaded bytes (None: no upload).
Loaded = tuple[tuple[object, ...], bytes | None]
#: Largest zoom the page opens on for a catalogue of its own (a single event
#: is shown with its surroundings).
HOME_MAX_ZOOM = 9


@dataclass(frozen=True)
class Home:
    """The view a catalogue's page opens on: centre and zoom."""

    lat: float
    lon: float
    zoom: int


def in_seed_region(events: gpd.GeoDataFrame) -> bool:
    """True if every event's anchor lies in the seed's region."""
    (south, west), (north, east) = SEED_REGION
    lat, lon = events["lat"].to_numpy(float), events["lon"].to_numpy(float)
    return bool(((lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)).all())


def home_view(events: gpd.GeoDataFrame) -> Home | None:
    """The centre and zoom that show all of *events* (None: no events).

    The zoom is the largest (at most ``HOME_MAX_ZOOM``) at which the events'
    box, with a 10 % margin, fits a map about 1,000 by 600 pixels wide (Web
    Mercator: 256 pixels span 360 degrees at zoom 0).
    """
    if events.empty:
        return None
    lat, lon = events["lat"].to_numpy(float), events["lon"].to_numpy(float)
    south, north, west, east = lat.min(), lat.max(), lon.min(), lon.max()
    span_lon = max(east - west, 0.05) * 1.2
    merc = [
        math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in (south, north)
    ]
    span_y = max(merc[1] - merc[0], 0.001) * 1.2
    zoom_x = math.log2(1000 * 360 / (256 * span_lon))
    zoom_y = math.log2(600 * 2 * math.pi / (256 * span_y))
    zoom = int(max(1, min(HOME_MAX_ZOOM, math.floor(min(zoom_x, zoom_y)))))
    return Home(float((south + north) / 2), float((west + east) / 2), zoom)


def opening_dates(
    first: date, last: date, *, seed: tuple[date, date]
) -> tuple[date, date]:
    """The date range a page opens on.

    The seed's window when the catalogue meets it (widened to all its
    events), else the catalogue's own span.
    """
    start, end = seed
    if last < start or first > end:
        return first, last
    return min(start, first), max(end, last)


def is_shipped(source: tuple[object, ...], data: bytes | None) -> bool:
    """True if the page shows the shipped catalogue (no upload, no database)."""
    if data is not None or not source or not isinstance(source[0], str):
        return False
    return Path(source[0]).resolve() == CATALOGUE_DIR.resolve()


def follows_seed(events: gpd.GeoDataFrame, loaded: Loaded | None) -> bool:
    """True if the page keeps the seed's views, dates and title for *events*.

    *loaded* is what was loaded, (source, upload bytes) as ``is_shipped``
    takes them: the shipped catalogue keeps the seed's, any other follows
    its own data. Without it (a caller that has only the events), a
    catalogue whose events all lie in the seed's region keeps the seed's.
    """
    return in_seed_region(events) if loaded is None else is_shipped(*loaded)


def page_title(
    events: gpd.GeoDataFrame, source: tuple[object, ...], data: bytes | None
) -> str:
    """The page's heading: the seed's for the shipped catalogue, else neutral.

    *source* and *data* name what was loaded (``is_shipped``).

    A neutral title names the event count, the countries (ISO 3166 alpha-3)
    and the dates, e.g. "Strike map: 19 events in LBN, MLI, SOM, UKR, YEM,
    2019-03-02 to 2024-08-17".
    """
    if is_shipped(source, data):
        return TITLE
    # The heading is Markdown: the codes (checked ISO3 cells) are escaped anyway.
    countries = sorted({markdown_text(c) for c in events["country"].unique() if c})
    shown = ", ".join(countries[:8]) + (" and others" if len(countries) > 8 else "")
    first = min(events["date_start"]).date().isoformat()
    last = max(events["date_end"]).date().isoformat()
    where = f" in {shown}" if shown else ""
    return f"Strike map: {len(events)} events{where}, {first} to {last}"


def tab_title(title: str) -> str:
    """The browser tab's title for the heading *title*: the heading as text.

    The shipped catalogue keeps its short tab title; any other catalogue's tab
    names what it holds, as its heading does (Markdown escapes removed).
    """
    if title == TITLE:
        return PAGE_TITLE
    return re.sub(r"\\(.)", r"\1", title)

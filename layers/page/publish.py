"""The publication figure of a page view: its bounds, caption and credits.

Used by the page's download and by ``python -m layers figure``, so a link's
view and the command's options (the same URL keys) give the same figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial

import geopandas as gpd

from layers.catalogue.model import Catalogue
from layers.figure import FigureView, draw_figure, figure_bytes, layer_titles
from layers.map.build import build_map
from layers.map.style import VIEWS
from layers.page.downloads import Download, Provenance, downloads
from layers.page.filters import apply_view
from layers.page.view import CHOICES, Options, ViewState, options_for
from layers.page.views import Bounds

#: The web map's size in pixels that a link's centre and zoom are read against.
MAP_PIXELS = (900, 640)
TITLE = "Strikes on the Iraq-Syria border, with their uncertainty"


def figure_title(options: Options) -> str:
    """The seed's title for the shipped catalogue; else one naming its countries.

    The countries are the catalogue's checked ISO 3166 alpha-3 codes (no
    character matplotlib reads as markup).
    """
    if options.home is None:
        return TITLE
    codes = [c for c in options.countries if c.isalpha()]
    shown = ", ".join(codes[:8]) + (" and others" if len(codes) > 8 else "")
    return f"Strike events in {shown}, with their uncertainty"


def view_bounds(
    state: ViewState, *, start: Bounds = VIEWS["Strike area"]
) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the map view *state* holds (Web Mercator).

    Without a centre and zoom in the view, the map's opening view *start*
    (the first of the catalogue's ``Options.views``).
    """
    if state.zoom is None or state.lat is None or state.lon is None:
        (south, west), (north, east) = start
        return south, west, north, east
    width, height = MAP_PIXELS
    degrees = 360.0 / (256 * 2**state.zoom)  # per pixel of longitude
    half_lon = width / 2 * degrees
    y = math.log(math.tan(math.pi / 4 + math.radians(state.lat) / 2))
    half_y = height / 2 * math.radians(degrees)
    south = math.degrees(2 * math.atan(math.exp(y - half_y)) - math.pi / 2)
    north = math.degrees(2 * math.atan(math.exp(y + half_y)) - math.pi / 2)
    return south, state.lon - half_lon, north, state.lon + half_lon


def _choice_line(label: str, chosen: tuple[str, ...], allowed: tuple[str, ...]) -> str:
    listed = "all" if set(chosen) >= set(allowed) else ", ".join(chosen) or "none"
    return f"{label}: {listed}"


def caption(
    state: ViewState, options: Options, *, shown_events: int
) -> tuple[str, ...]:
    """The date range and the filters of *state*, as the figure's caption lines."""
    choices = (
        ("Types", state.event_types, CHOICES["event_types"](options)),
        ("Countries", state.countries, CHOICES["countries"](options)),
        ("Precision", state.precision_classes, CHOICES["precision_classes"](options)),
        ("Confidence", state.confidences, CHOICES["confidences"](options)),
    )
    filters = "; ".join(_choice_line(*c) for c in choices)
    return (
        f"{state.date_start:%d %b %Y} - {state.date_end:%d %b %Y}: "
        f"{shown_events} events. {filters}.",
        f"Euphrates valley half-width W = {state.valley_km:g} km; border corridor "
        f"half-width D = {state.corridor_km:g} km. Hidden layers: "
        f"{', '.join(layer_titles(state.hidden)) or 'none'}.",
    )


def _sources(events: gpd.GeoDataFrame) -> str:
    """The outlets the shown events cite (most cited first), shortened."""
    if "sources" not in events.columns or events.empty:
        return "the catalogue"
    cited = events["sources"].explode().dropna()
    outlets = cited.astype(object).str.get("outlet").fillna("").astype(str)
    counts = outlets[outlets != ""].value_counts(sort=False)
    names = sorted(counts.index, key=lambda n: (-counts[n], n))
    more = f" and {len(names) - 6} more" if len(names) > 6 else ""
    return (
        f"the catalogue, citing {', '.join(names[:6])}{more}"
        if names
        else "the catalogue"
    )


def figure_of_shown(
    shown: Mapping[str, gpd.GeoDataFrame],
    state: ViewState,
    options: Options,
    *,
    fmt: str,
) -> bytes:
    """The figure of the layers *shown* (filtered for *state*), as *fmt* bytes."""
    view = FigureView(
        bounds=view_bounds(state, start=options.views[0][1]),
        hidden=state.hidden,
        title=figure_title(options),
        caption=caption(state, options, shown_events=len(shown.get("events", ()))),
        sources=_sources(shown.get("events", gpd.GeoDataFrame())),
    )
    return figure_bytes(draw_figure(shown, view=view), fmt)


def figure_of_view(
    layers: Mapping[str, gpd.GeoDataFrame],
    state: ViewState,
    options: Options,
    *,
    fmt: str,
) -> bytes:
    """The figure of *state* over the built *layers* (filtered here), as *fmt* bytes."""
    return figure_of_shown(apply_view(layers, state), state, options, fmt=fmt)


_MEDIA = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def figure_downloads(
    shown: Mapping[str, gpd.GeoDataFrame], state: ViewState, options: Options
) -> list[Download]:
    """The page's figure downloads of the current view (drawn on click).

    *options* are what the catalogue offers (what the filters choose from).
    """
    return [
        Download(
            label=f"This view as a figure ({fmt.upper()})",
            file_name=f"strike-map-figure.{fmt}",
            mime=media,
            make=partial(figure_of_shown, shown, state, options, fmt=fmt),
        )
        for fmt, media in _MEDIA.items()
    ]


def page_downloads(
    shown: Mapping[str, gpd.GeoDataFrame], state: ViewState, catalogue: Catalogue
) -> list[Download]:
    """Every download the page offers for the view *state* shows.

    The layers (GeoJSON each, a zip, the filtered events as CSV, the standalone
    map with its manifest) and the publication figure in PNG, SVG and PDF.
    """
    # The shipped catalogue is read from its folder; an upload, a merge or the
    # database is not (``region.is_shipped``).
    options = options_for(catalogue.events, loaded=((catalogue.path,), None))
    make_map = partial(build_map, shown, basemap=state.basemap, views=options.views)
    about = Provenance(catalogue=catalogue, state=state)
    layers = downloads(shown, make_map=make_map, about=about)
    return layers + figure_downloads(shown, state, options)

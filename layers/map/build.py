"""Build the map: a shell drawn once, and data layers sent as data.

The shell (basemap, context layers, legend, controls, the drawing engine) does
not depend on the filters, so its script is the same on every rerun and the
browser keeps the map, its view and its open legend. What the filters choose is
a payload (``layers.map.data.view_payload``) wrapped in a :class:`DataLayer`,
which streamlit-folium swaps into the live map (``feature_group_to_add``).
:func:`build_map` puts both into one self-contained map for the HTML download.

Text from data reaches the browser only inside ``script_json`` payloads and is
set with ``textContent`` there; nothing from data becomes template source.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import folium
from branca.element import Element, Figure, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.safe import script_json
from layers.map.assets import LOCAL_ASSETS, AssetUrls
from layers.map.data import (
    AREA_ONLY,
    COARSE_AREAS,
    MapView,
    prepare_context,
    view_payload,
)
from layers.map.features import FINE_FROM_ZOOM
from layers.map.legend import HATCH_SVG, PAGE_CSS, legend_rows, precision_words
from layers.map.style import HATCH_ID, TILE_PROVIDERS, VIEWS
from layers.registry import LAYERS

#: The key of streamlit-folium's returned value that carries the engine's
#: reports (view, hidden layers, pick). streamlit-folium fills it only from a
#: geocoder plugin, which this map never has, so nothing else writes it.
CHANNEL_KEY = "last_geocoder_result"
#: What the map frame is called for screen readers and the browser.
MAP_TITLE = "Map of the 29 Dec 2019 strikes and related events"
#: Its name for any other catalogue (never titled as the 2019 strikes).
OWN_MAP_TITLE = "Map of the loaded catalogue's events"
#: The bounds the map opens on, unless the URL says otherwise.
DEFAULT_VIEW = VIEWS["Strike area"]
#: The view buttons, in order: (label, ((south, west), (north, east))).
ViewList = Sequence[tuple[str, tuple[tuple[float, float], tuple[float, float]]]]
SEED_VIEWS: ViewList = tuple(VIEWS.items())
#: The id the data layer must have: streamlit-folium names the swapped group
#: ``feature_group_<index>``.
DATA_LAYER_ID = "feature_group_0"


class _Text(Element):
    """Text put into the page as it is: never compiled or rendered as a template.

    branca wraps each element's script in a new ``Element``, which compiles it
    as a Jinja template and renders it again; for a payload of data that is
    both slow (a compile per rerun) and a way for data to become template
    source. This element skips both.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: object) -> str:
        """The text itself."""
        return self.text


def _add_script_as_text(element: MacroElement, kwargs: dict[str, Any]) -> None:
    script = element._template.module.script(element, kwargs)
    root = cast(Figure, element.get_root())  # folium renders into a Figure
    root.script.add_child(_Text(script), name=element.get_name())


class Engine(JSCSSMixin, MacroElement):
    """Loads the drawing engine and sets up the shell (once per basemap)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        StrikeMap.init({{ this._parent.get_name() }}, {{ this.options }});
        {% endmacro %}
        """
    )

    def __init__(self, options: Mapping[str, object], urls: AssetUrls) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: untyped
        self._name = "Engine"
        self.options = script_json(options)
        self.default_js = [("strikemap", urls.engine), ("measure", urls.measure)]
        self.default_css = []

    # branca's MacroElement.render returns None; its base Element's is typed str.
    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        """Link the engine's script in the page head; add the set-up call."""
        root = cast(Figure, self.get_root())
        for name, url in self.default_js:
            root.header.add_child(JavascriptLink(url), name=name)
        _add_script_as_text(self, kwargs)


class DataLayer(folium.FeatureGroup):
    """The filtered data as one payload, drawn by ``StrikeMap.update``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = StrikeMap.update(
            {{ this._parent.get_name() }}, {{ this.payload }}
        ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: Mapping[str, object]) -> None:
        super().__init__(name="data", control=False)
        # streamlit-folium refers to the swapped group as feature_group_<id>.
        self._name = "FeatureGroup"
        self.payload = script_json(payload)

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        """Add the drawing call (the payload is never template source)."""
        _add_script_as_text(self, kwargs)


def _context_options(
    sources: Mapping[str, Mapping[str, object]],
) -> list[dict[str, Any]]:
    out = []
    for spec in LAYERS:
        if spec.context and spec.name in sources:
            out.append(
                {
                    "name": spec.name,
                    "title": spec.title,
                    "kind": spec.draw,
                    "style": dict(spec.style),
                    "fine": sources[spec.name]["fine"],
                    "coarse": sources[spec.name]["coarse"],
                    "fineFrom": FINE_FROM_ZOOM,
                }
            )
    return out


def shell_options(
    context: Mapping[str, Mapping[str, object]],
    *,
    tiles: bool,
    hidden: Iterable[str] | None = None,
    views: ViewList = SEED_VIEWS,
    title: str = MAP_TITLE,
) -> dict[str, Any]:
    """The engine's start-up options (JSON-ready).

    Parameters
    ----------
    context
        name -> {"fine", "coarse"}: URLs of the context files, or the GeoJSON.
    tiles
        Whether a tile basemap is under the vectors (context fills then clear).
    hidden
        Layers switched off at start; None for the specs' defaults.
    views
        The view buttons, in order (default: the seed's).
    title
        The map frame's name for screen readers and the browser.
    """
    return {
        "title": title,
        "channel": CHANNEL_KEY,
        "hatch": HATCH_ID,
        "tiles": tiles,
        "areaClasses": list(AREA_ONLY),
        "coarseClasses": list(COARSE_AREAS),
        "views": [[label, [list(sw), list(ne)]] for label, (sw, ne) in views],
        "context": _context_options(context),
        "legend": legend_rows(),
        "words": precision_words(),
        "initialHidden": sorted(
            {s.name for s in LAYERS if not s.shown} if hidden is None else set(hidden)
        ),
    }


def _stabilise_ids(root: folium.Map) -> None:
    # folium names elements with random ids; numbering them in tree order makes
    # the generated script identical for identical input, so the browser keeps
    # the map instead of rebuilding it on every rerun.
    counter = 0

    def walk(element: Element) -> None:
        nonlocal counter
        for child in element._children.values():
            counter += 1
            child._id = f"sm{counter:04d}"
            walk(child)

    root._id = "strikemap"
    walk(root)
    root._children = OrderedDict(
        (child.get_name(), child) for child in root._children.values()
    )


def build_shell(
    context: Mapping[str, Mapping[str, object]],
    *,
    basemap: str = "None",
    urls: AssetUrls = LOCAL_ASSETS,
    hidden: Iterable[str] | None = None,
    view: str | None = None,
    views: ViewList = SEED_VIEWS,
    title: str = MAP_TITLE,
) -> folium.Map:
    """The map without its data: basemap, context layers, legend, controls.

    Parameters
    ----------
    context
        name -> {"fine", "coarse"}: URLs of the context files
        (``assets.install_context``) or the GeoJSON itself.
    basemap
        "None" (vector only: no request leaves the machine), or a key of
        ``TILE_PROVIDERS``.
    urls
        Where Leaflet and the engine are served.
    hidden
        Layers to start switched off (the legend's switches turn them on);
        None for the specs' defaults.
    view
        The name of the view the map opens on (None: the first of *views*).
    views
        The view buttons, in order (default: the seed's ``VIEWS``).
    title
        The map frame's name (``MAP_TITLE``, or ``OWN_MAP_TITLE``).

    Returns
    -------
    A new map, not rendered; the same input gives the same script.

    Raises
    ------
    ValueError
        For an unknown basemap or view.
    """
    if basemap != "None" and basemap not in TILE_PROVIDERS:
        raise ValueError(
            f"unknown basemap '{basemap}'; expected None or {', '.join(TILE_PROVIDERS)}"
        )
    bounds = dict(views)
    view = next(iter(bounds)) if view is None else view
    if view not in bounds:
        raise ValueError(f"unknown view '{view}'; expected one of {', '.join(bounds)}")
    fmap = _bare_map(urls)
    if basemap != "None":
        _tiles(basemap).add_to(fmap)
    options = shell_options(
        context,
        tiles=basemap != "None",
        hidden=hidden,
        views=tuple(bounds.items()),
        title=title,
    )
    Engine(options, urls).add_to(fmap)
    south_west, north_east = bounds[view]
    fmap.fit_bounds([list(south_west), list(north_east)])
    _stabilise_ids(fmap)
    return fmap


def _bare_map(urls: AssetUrls) -> folium.Map:
    """A map with no layer yet: local Leaflet, the page's CSS, the hatch pattern."""
    fmap = folium.Map(
        location=None,
        tiles=None,
        control_scale=True,
        zoom_control=True,
        prefer_canvas=False,
        maxZoom=18,
    )
    fmap.default_js = [("leaflet", urls.js)]
    fmap.default_css = [("leaflet_css", urls.css)]
    root = cast(Figure, fmap.get_root())  # a folium.Map renders into a Figure
    root.header.add_child(Element(PAGE_CSS))
    root.html.add_child(Element(HATCH_SVG))
    _IconPath(urls.images).add_to(fmap)
    return fmap


def _tiles(basemap: str) -> folium.TileLayer:
    """The tile layer of *basemap*, a key of ``TILE_PROVIDERS``."""
    provider = TILE_PROVIDERS[basemap]
    return folium.TileLayer(
        tiles=provider.build_url(),
        attr=provider.html_attribution,
        name=basemap,
        max_zoom=int(provider.get("max_zoom", 18)),
        control=False,
    )


class _IconPath(MacroElement):
    """Point Leaflet's default marker images at the local copy."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.path }};
        {% endmacro %}
        """
    )

    def __init__(self, path: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: untyped
        self._name = "IconPath"
        self.path = script_json(path)


def build_map(
    layers: Mapping[str, object],
    *,
    basemap: str = "None",
    urls: AssetUrls = LOCAL_ASSETS,
    hidden: Iterable[str] | None = None,
    view: str | None = None,
    views: ViewList = SEED_VIEWS,
    selected: str = "",
    map_view: MapView | None = None,
) -> folium.Map:
    """One self-contained map: the shell with its context inline, and the data.

    Used for the HTML download and the tests; the dashboard sends the shell and
    the data apart (:func:`build_shell`, :class:`DataLayer`).

    Parameters
    ----------
    layers
        The layers as shown (filtered), context layers included.
    basemap, urls, hidden, view, views
        As for :func:`build_shell`.
    selected
        The event id to highlight.
    map_view
        The part of the world shown (decides aggregation of many events).

    Returns
    -------
    A new map, not rendered.
    """
    fmap = build_shell(
        prepare_context(layers),
        basemap=basemap,
        urls=urls,
        hidden=hidden,
        view=view,
        views=views,
    )
    data = DataLayer(view_payload(layers, view=map_view, selected=selected))
    data._id = DATA_LAYER_ID
    data.add_to(fmap)
    return fmap


def map_html(fmap: folium.Map) -> str:
    """The full HTML page of *fmap* (assets linked; see ``assets.inline_leaflet``)."""
    return fmap.get_root().render()

"""Build the folium map from prepared layer data, with offline Leaflet assets.

Pure code: takes the output of ``layers.map.data.prepare_display`` (where every
text from data was HTML-escaped, because folium's tooltips insert values as
HTML) and returns a ``folium.Map``; nothing here knows about Streamlit.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import folium
from branca.element import Element

from layers.map.assets import LOCAL_ASSETS, AssetUrls
from layers.map.legend import (
    HATCH_SVG,
    PAGE_CSS,
    HtmlControl,
    IconPath,
    Labels,
    legend_html,
    views_html,
)
from layers.map.style import (
    DEFAULT_EVENT_COLOUR,
    EVENT_COLOURS,
    FIELD_LABELS,
    HATCH_ID,
    TILE_PROVIDERS,
    VIEWS,
)
from layers.registry import LAYERS, LayerSpec


def _tooltip(fields: Iterable[str]) -> folium.GeoJsonTooltip:
    fields = list(fields)
    return folium.GeoJsonTooltip(
        fields=fields,
        aliases=[FIELD_LABELS.get(f, f) for f in fields],
        sticky=True,
        localize=False,
    )


def _zone_style(feature: dict, base: Mapping[str, object]) -> dict:
    style = dict(base)
    if feature["properties"].get("precision_class") in ("P4", "P5"):
        style.update(fillColor=f"url(#{HATCH_ID})", fillOpacity=1.0, dashArray="5 3")
    return style


def _event_colour(sub_event_type: str) -> str:
    return EVENT_COLOURS.get(html.unescape(sub_event_type or ""), DEFAULT_EVENT_COLOUR)


class _GeoJson(folium.GeoJson):
    """folium.GeoJson that takes its bounds from the collection's ``bbox``.

    folium walks every coordinate in Python to find a layer's bounds (which
    streamlit-folium asks for on each rerun); the bbox was computed once with
    numpy when the collection was prepared.
    """

    def _get_self_bounds(self) -> list[list[float | None]]:
        bbox = self.data.get("bbox")
        if not bbox:
            return super()._get_self_bounds()
        west, south, east, north = bbox
        return [[south, west], [north, east]]


def _add_events(
    fmap: folium.Map, display: Mapping[str, dict], spec: LayerSpec, *, show: bool
) -> None:
    group = folium.FeatureGroup(name=spec.title, show=show)
    fields = list(spec.tooltip_fields)
    if display.get("events:rings", {}).get("features"):
        _GeoJson(
            display["events:rings"],
            name=f"{spec.title}: uncertainty",
            style_function=lambda f: {
                "color": _event_colour(f["properties"]["sub_event_type"]),
                "weight": 1.2,
                "dashArray": "4 4",
                "fillOpacity": 0.06,
            },
            tooltip=_tooltip(fields),
            zoom_on_click=False,
        ).add_to(group)
    if display.get("events:sites", {}).get("features"):
        _GeoJson(
            display["events:sites"],
            name=f"{spec.title}: sites",
            marker=folium.CircleMarker(radius=6, weight=1.5, fill=True),
            style_function=lambda f: {
                "color": "#222222",
                "fillColor": _event_colour(f["properties"]["sub_event_type"]),
                "fillOpacity": 0.9,
            },
            tooltip=_tooltip(fields),
            zoom_on_click=False,
        ).add_to(group)
    group.add_to(fmap)


def _add_places(
    fmap: folium.Map, collection: dict, spec: LayerSpec, *, show: bool
) -> None:
    group = folium.FeatureGroup(name=spec.title, show=show)
    _GeoJson(
        collection,
        name=spec.title,
        marker=folium.CircleMarker(radius=2.5, weight=1, fill=True),
        style_function=lambda _f: {
            "color": "#333333",
            "fillColor": "#ffffff",
            "fillOpacity": 1.0,
        },
        tooltip=_tooltip(spec.tooltip_fields),
        zoom_on_click=False,
    ).add_to(group)
    # Names were HTML-escaped by display_frame.
    labels = [
        (str(f["properties"]["name"]), *reversed(f["geometry"]["coordinates"]))
        for f in collection["features"]
    ]
    Labels(labels).add_to(group)
    group.add_to(fmap)


def _stabilise_ids(root: folium.Map) -> None:
    # folium names elements with random ids; numbering them in tree order makes
    # the generated script identical for identical input, so the browser keeps
    # the map instead of rebuilding it on every rerun.
    counter = 0

    def walk(element) -> None:
        nonlocal counter
        for child in element._children.values():
            counter += 1
            child._id = f"{counter:06x}"
            walk(child)

    root._id = "000000"
    walk(root)
    root._children = dict(
        (child.get_name(), child) for child in root._children.values()
    )


def build_map(
    display: Mapping[str, dict],
    *,
    basemap: str = "None",
    urls: AssetUrls = LOCAL_ASSETS,
    hidden: Iterable[str] = (),
    view: str = "Strike area",
) -> folium.Map:
    """Build the map from prepared layers.

    Parameters
    ----------
    display
        The output of :func:`prepare_display` (narrowed as wanted).
    basemap
        "None" (vector only: no request leaves the machine), or a key of
        ``TILE_PROVIDERS``.
    urls
        Where Leaflet's files are served.
    hidden
        Layers to start switched off (the layer control can turn them on).
    view
        The key of ``VIEWS`` the map opens on.

    Returns
    -------
    A new map, not rendered; the same input gives the same HTML.

    Raises
    ------
    ValueError
        For an unknown basemap or view.
    """
    if basemap != "None" and basemap not in TILE_PROVIDERS:
        raise ValueError(
            f"unknown basemap '{basemap}'; expected None or {', '.join(TILE_PROVIDERS)}"
        )
    if view not in VIEWS:
        raise ValueError(f"unknown view '{view}'; expected one of {', '.join(VIEWS)}")
    fmap = folium.Map(location=None, tiles=None, control_scale=True, zoom_control=True)
    fmap.default_js = [("leaflet", urls.js)]
    fmap.default_css = [("leaflet_css", urls.css)]
    fmap.get_root().header.add_child(Element(PAGE_CSS))
    fmap.get_root().html.add_child(Element(HATCH_SVG))
    IconPath(urls.images).add_to(fmap)
    if basemap != "None":
        provider = TILE_PROVIDERS[basemap]
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=basemap,
            max_zoom=int(provider.get("max_zoom", 18)),
            control=False,
        ).add_to(fmap)
    hidden = set(hidden)
    for spec in LAYERS:
        show = spec.shown and spec.name not in hidden
        if spec.name == "events":
            _add_events(fmap, display, spec, show=show)
            continue
        collection = display.get(spec.name)
        if not collection or not collection["features"]:
            continue
        if spec.name == "places":
            _add_places(fmap, collection, spec, show=show)
            continue
        style = dict(spec.style)
        if spec.name == "countries" and basemap != "None":
            style["fillOpacity"] = 0.0
        points = all(f["geometry"]["type"] == "Point" for f in collection["features"])
        _GeoJson(
            collection,
            name=spec.title,
            style_function=(
                (lambda f, base=style: _zone_style(f, base))
                if spec.name == "strike_zones"
                else (lambda f, base=style: dict(base))
            ),
            tooltip=_tooltip(spec.tooltip_fields),
            zoom_on_click=False,
            show=show,
            control=True,
            marker=folium.CircleMarker(radius=7, weight=1.5, fill=True)
            if points
            else None,
        ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    present = {
        html.unescape(f["properties"]["sub_event_type"])
        for name in ("events:rings", "events:sites")
        for f in display.get(name, {}).get("features", [])
    }
    if "strike_zones" in display:
        present.add("Air/drone strike")
    legend = legend_html([t for t in EVENT_COLOURS if t in present])
    HtmlControl(legend, position="bottomright", css_class="strikemap-legend").add_to(
        fmap
    )
    HtmlControl(views_html(), position="topright", css_class="strikemap-views").add_to(
        fmap
    )
    south_west, north_east = VIEWS[view]
    fmap.fit_bounds([list(south_west), list(north_east)])
    _stabilise_ids(fmap)
    return fmap


def map_html(fmap: folium.Map) -> str:
    """The full HTML page of *fmap* (assets linked; see ``assets.inline_leaflet``)."""
    return fmap.get_root().render()

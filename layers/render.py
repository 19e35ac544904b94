"""Build the folium map of the layers: styles, legend, view buttons, offline assets.

Pure code: takes GeoDataFrames, returns a ``folium.Map``; nothing here knows
about Streamlit. Every text that comes from data is HTML-escaped before it
reaches the map, because folium's tooltips insert values as HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xyzservices.providers as xyz
from branca.element import Element, MacroElement
from jinja2 import Template

from geo.crs import WGS84
from geo.shapes import geodesic_disc
from layers.assets import LOCAL_ASSETS, AssetUrls
from layers.registry import LAYERS, LayerSpec

#: Bounds ((south, west), (north, east)) of the three views the map can jump to.
VIEWS = MappingProxyType(
    {
        "Strike area": ((33.9, 40.3), (34.95, 41.75)),
        "Iraq": ((29.0, 38.7), (37.4, 48.6)),
        "Region": ((23.5, 38.0), (37.5, 60.0)),
    }
)
#: Tile basemaps (xyzservices providers); "None" draws only the vector layers.
TILE_PROVIDERS = MappingProxyType(
    {
        "OpenStreetMap": xyz.OpenStreetMap.Mapnik,
        "Light": xyz.Esri.WorldGrayCanvas,
        "Satellite": xyz.Esri.WorldImagery,
    }
)
SEA_COLOUR = "#dce8f0"
#: Colour of each ACLED sub-event type on the map and in the timeline.
EVENT_COLOURS = MappingProxyType(
    {
        "Air/drone strike": "#d7301f",
        "Shelling/artillery/missile attack": "#fd8d3c",
        "Remote explosive/landmine/IED": "#6a51a3",
        "Violent demonstration": "#1d91c0",
        "Disrupted weapons use": "#238b45",
        "Other": "#525252",
    }
)
DEFAULT_EVENT_COLOUR = "#525252"
HATCH_ID = "hatch-area-only"
#: Display simplification of context layers, in degrees (about 300 m): finer
#: than a pixel at the strike-area zoom, and it keeps the map payload small.
CONTEXT_TOLERANCE_DEG = 0.003
DISPLAY_DECIMALS = 4
#: Precision classes drawn without a point: only an area is known.
AREA_ONLY = ("P3", "P4", "P5", "P6")
PRECISION_WORDS = MappingProxyType(
    {
        "P1": "exact site (within about 100 m)",
        "P2": "near a named place (within about 25 km)",
        "P3": "district-level: an area, no pin",
        "P4": "province-level: an area, no pin",
        "P5": "a region or named natural area (e.g. the Euphrates valley): no pin",
        "P6": "country only: listed, not drawn",
    }
)
FIELD_LABELS = MappingProxyType(
    {
        "event_id": "Event",
        "title": "What",
        "date_start": "Date",
        "sub_event_type": "Type",
        "precision": "Precision",
        "uncertainty_m": "Uncertainty (m)",
        "area_km2": "Area (km²)",
        "confidence": "Confidence",
        "name": "Name",
        "iso_a3": "ISO3",
        "source": "Source",
        "half_width_km": "Half-width (km)",
        "border_length_km": "Border length (km)",
        "derivation": "How it was drawn",
        "crossing": "Crossing",
        "country": "Country",
        "site_count": "Sites",
        "event_ids": "Events",
    }
)


def _escaped(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return None if np.isnan(value) else round(value, 1)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if value is None or value is pd.NA:
        return None
    return html.escape(str(value))


def _round(geometries: np.ndarray) -> np.ndarray:
    return shapely.transform(geometries, lambda xy: np.round(xy, DISPLAY_DECIMALS))


def display_frame(
    gdf: gpd.GeoDataFrame, fields: Iterable[str], *, simplify: bool = False
) -> gpd.GeoDataFrame:
    """A light copy of *gdf* for the map: WGS84, chosen fields, escaped text.

    Parameters
    ----------
    gdf
        A layer.
    fields
        The columns to keep (tooltip fields and styling keys).
    simplify
        Simplify polygons as a coverage (shared edges stay shared) and lines,
        by ``CONTEXT_TOLERANCE_DEG``.

    Returns
    -------
    A new frame in EPSG:4326.
    """
    gdf_wgs84 = gdf.to_crs(WGS84)
    geometries = gdf_wgs84.geometry.values
    if simplify:
        if set(gdf_wgs84.geom_type) <= {"Polygon", "MultiPolygon"}:
            geometries = shapely.coverage_simplify(geometries, CONTEXT_TOLERANCE_DEG)
        else:
            geometries = shapely.simplify(geometries, CONTEXT_TOLERANCE_DEG)
    columns = {
        column: [_escaped(v) for v in gdf_wgs84[column]]
        for column in dict.fromkeys(fields)
        if column in gdf_wgs84.columns
    }
    return gpd.GeoDataFrame(
        columns, geometry=_round(np.asarray(geometries)), crs=WGS84
    ).reset_index(drop=True)


def _tooltip(fields: Iterable[str]) -> folium.GeoJsonTooltip:
    fields = list(fields)
    return folium.GeoJsonTooltip(
        fields=fields,
        aliases=[FIELD_LABELS.get(f, f) for f in fields],
        sticky=True,
        localize=False,
    )


class _Labels(MacroElement):
    """Text labels for points, drawn by one script (not one element per label)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.labels|tojson }}.forEach(function(item) {
            L.marker([item[1], item[2]], {
                interactive: false,
                keyboard: false,
                icon: L.divIcon({
                    className: "strikemap-label",
                    html: item[0],
                    iconSize: null,
                    iconAnchor: [-5, 7]
                })
            }).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, labels: list[tuple[str, float, float]]) -> None:
        super().__init__()
        self._name = "Labels"
        self.labels = labels


def _zone_style(feature: dict, base: Mapping[str, object]) -> dict:
    style = dict(base)
    if feature["properties"].get("precision_class") in ("P4", "P5"):
        style.update(fillColor=f"url(#{HATCH_ID})", fillOpacity=1.0, dashArray="5 3")
    return style


def _event_colour(sub_event_type: str) -> str:
    return EVENT_COLOURS.get(html.unescape(sub_event_type or ""), DEFAULT_EVENT_COLOUR)


def _collection(frame: gpd.GeoDataFrame) -> dict:
    collection = json.loads(frame.to_json(drop_id=True))
    if len(frame):
        collection["bbox"] = [
            round(float(v), DISPLAY_DECIMALS) for v in frame.total_bounds
        ]
    return collection


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


def _event_rings(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return events.set_geometry(
        [
            geodesic_disc(lon, lat, radius)
            for lon, lat, radius in zip(
                events["lon"], events["lat"], events["uncertainty_m"], strict=True
            )
        ],
        crs=WGS84,
    )


def prepare_display(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, dict]:
    """Turn layers into the GeoJSON the map draws: light, escaped, rounded.

    Context layers are simplified. Events become two collections: dashed
    uncertainty rings (``events:rings``) for every drawable event, and dots
    (``events:sites``) only where a site is known (P1-P2). Events that have a
    strike zone are drawn as that zone instead. This is the costly step; its
    output can be cached and narrowed with :func:`select_events`.

    Parameters
    ----------
    layers
        Layer name to frame, as built by the registry.

    Returns
    -------
    Collection name to GeoJSON FeatureCollection dict.
    """
    out: dict[str, dict] = {}
    zone_ids = (
        set(layers["strike_zones"]["event_id"]) if "strike_zones" in layers else set()
    )
    for spec in LAYERS:
        gdf = layers.get(spec.name)
        if gdf is None or len(gdf) == 0:
            continue
        if spec.name == "events":
            fields = (*spec.tooltip_fields, "precision_class")
            drawable = gdf[
                (gdf["precision_class"] != "P6") & ~gdf["event_id"].isin(zone_ids)
            ]
            sites = drawable[~drawable["precision_class"].isin(AREA_ONLY)]
            if len(drawable):
                out["events:rings"] = _collection(
                    display_frame(_event_rings(drawable), fields)
                )
            if len(sites):
                out["events:sites"] = _collection(display_frame(sites, fields))
            continue
        keys = ("event_id", "precision_class") if spec.name == "strike_zones" else ()
        out[spec.name] = _collection(
            display_frame(gdf, (*spec.tooltip_fields, *keys), simplify=spec.context)
        )
    return out


def select_events(display: Mapping[str, dict], event_ids: Iterable[str]) -> dict:
    """Keep only the features of *event_ids* in the event-bearing collections.

    Collections whose features carry no ``event_id`` pass through unchanged.
    """
    keep = set(event_ids)
    out = {}
    for name, collection in display.items():
        features = collection["features"]
        if features and "event_id" in features[0]["properties"]:
            features = [f for f in features if f["properties"]["event_id"] in keep]
            collection = {**collection, "features": features}
        out[name] = collection
    return out


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
    _Labels(labels).add_to(group)
    group.add_to(fmap)


class _Control(MacroElement):
    """A Leaflet control holding HTML (legend) or view buttons."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.inner_html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                div.querySelectorAll('button[data-bounds]').forEach(function(b) {
                    b.addEventListener('click', function() {
                        {{ this._parent.get_name() }}.fitBounds(
                            JSON.parse(b.getAttribute('data-bounds')));
                    });
                });
                return div;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, inner_html: str, *, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "Control"
        self.inner_html = inner_html
        self.position = position
        self.css_class = css_class


class _IconPath(MacroElement):
    """Point Leaflet's default marker images at the local copy."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.Icon.Default.imagePath = {{ this.path|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "IconPath"
        self.path = path


def _swatch(style: str) -> str:
    return f'<i style="display:inline-block;width:14px;height:10px;{style}"></i>'


def legend_html(event_types: Iterable[str]) -> str:
    """The legend's HTML: colours, hatching and the precision classes in words."""
    rows = [
        "<b>Strike zones, 29 Dec 2019</b>",
        f"{_swatch('background:#e34a33;opacity:.6;border:1px solid #b30000')} "
        "district-level zone (P3)",
        f'<svg width="14" height="10"><rect width="14" height="10" '
        f'fill="url(#{HATCH_ID})" stroke="#b30000"/></svg> '
        "region-level zone (P4-P5), hatched",
        "<i>No pin: the sites were never disclosed; the zone is the claim.</i>",
        "<b>Events</b> (ring = uncertainty radius)",
    ]
    for sub_type in event_types:
        colour = EVENT_COLOURS.get(sub_type, DEFAULT_EVENT_COLOUR)
        rows.append(
            _swatch(f"background:{colour};border-radius:5px")
            + f" {html.escape(sub_type)}"
        )
    rows += [
        "<b>Context</b>",
        f"{_swatch('background:#9ecae1;opacity:.7')} Euphrates River Valley",
        f"{_swatch('background:#e7cb94;opacity:.7;border:1px dashed #8c6d31')} "
        "border corridor",
        f"{_swatch('background:#9e9ac8')} border crossing",
    ]
    classes = "<br>".join(
        f"{code}: {html.escape(text)}" for code, text in PRECISION_WORDS.items()
    )
    return (
        "<details open><summary>Legend</summary>"
        + "<br>".join(rows)
        + f"<details><summary>Precision classes</summary>{classes}</details>"
        + "</details>"
    )


def _views_html() -> str:
    buttons = [
        f"<button type=\"button\" data-bounds='{json.dumps(bounds)}'>"
        f"{html.escape(label)}</button>"
        for label, bounds in VIEWS.items()
    ]
    return "<b>View</b><br>" + " ".join(buttons)


_CSS = (
    "<style>\n"
    f".leaflet-container {{ background: {SEA_COLOUR}; }}\n"
    ".strikemap-legend, .strikemap-views {\n"
    "  background: rgba(255,255,255,.92); padding: 5px 8px;\n"
    "  font: 11px/1.4 sans-serif; border-radius: 4px;\n"
    "  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 270px;\n"
    "}\n"
    ".strikemap-legend summary { cursor: pointer; font-weight: bold; }\n"
    ".strikemap-label { font: 11px sans-serif; color: #333; white-space: nowrap;\n"
    "  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }\n"
    ".strikemap-views button { margin: 2px 2px 0 0; font-size: 11px; }\n"
    "</style>\n"
)

_HATCH_SVG = f"""
<svg width="0" height="0" style="position:absolute" aria-hidden="true">
  <defs>
    <pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="8" height="8"
             patternTransform="rotate(45)">
      <rect width="8" height="8" fill="#e34a33" fill-opacity="0.12"/>
      <line x1="0" y1="0" x2="0" y2="8" stroke="#b30000" stroke-width="2"
            stroke-opacity="0.7"/>
    </pattern>
  </defs>
</svg>
"""


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
    fmap.get_root().header.add_child(Element(_CSS))
    fmap.get_root().html.add_child(Element(_HATCH_SVG))
    _IconPath(urls.images).add_to(fmap)
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
    _Control(legend, position="bottomright", css_class="strikemap-legend").add_to(fmap)
    _Control(_views_html(), position="topright", css_class="strikemap-views").add_to(
        fmap
    )
    south_west, north_east = VIEWS[view]
    fmap.fit_bounds([list(south_west), list(north_east)])
    _stabilise_ids(fmap)
    return fmap


def map_html(fmap: folium.Map) -> str:
    """The full HTML page of *fmap* (assets linked; see ``assets.inline_leaflet``)."""
    return fmap.get_root().render()

"""KML for Google Earth: each layer through GDAL's KML driver, then styled.

GDAL writes the placemarks (geometry, name, description, the key fields as
ExtendedData). Its KML driver does not carry polygon fills from OGR style
strings, and the LIBKML driver crashes on them (GDAL 3.12), so the styles
are added to GDAL's output here: the layer's outline and fill colours, and
hatching (which KML lacks) approximated by a wider outline over a lighter
fill. Events get a ``TimeSpan`` for Google Earth's time slider.

Text from data reaches Google Earth as HTML in ``<description>``: every value
goes through ``geo.safe.html_text`` (and links through ``safe_url``) before
GDAL escapes the whole for XML. Placemark names are escaped for HTML too
(``kml_name``), for viewers that render them as HTML. The export's facts sit in
the Document's ``ExtendedData``.
"""

from __future__ import annotations

import html
import json
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import WGS84
from geo.safe import html_text, safe_url
from geo.shapes import geodesic_disc
from layers.catalogue.model import PRECISION_CLASSES
from layers.manifest import facts_json
from layers.map.style import DEFAULT_EVENT_COLOUR, EVENT_COLOURS
from layers.registry import get_layer

KML_MEDIA_TYPE = "application/vnd.google-earth.kml+xml"
KML_NS = "http://www.opengis.net/kml/2.2"
#: Classes drawn hatched on the map; in KML, a wider outline over a lighter fill.
HATCHED = ("P4", "P5")
HATCH_WIDTH_FACTOR = 2.5
HATCH_FILL_FACTOR = 0.4
#: Classes with no known site: a point of theirs is written as its disc.
AREA_ONLY = ("P3", "P4", "P5")
#: Listed, not drawn: written as a placemark without geometry.
NOT_DRAWN = ("P6",)
#: Fields kept as ExtendedData (when the layer has them).
KEY_FIELDS = (
    "event_id",
    "country",
    "precision_class",
    "uncertainty_m",
    "date_start",
    "date_end",
    "geo_precision",
    "where_prec",
    "area_km2",
    "confidence",
)
#: Fields shown in the description, in order, with their labels.
DESCRIBED = (
    ("title", "What"),
    ("date_start", "From"),
    ("date_end", "To"),
    ("sub_event_type", "Type"),
    ("location", "Anchor place"),
    ("precision_class", "Precision class"),
    ("uncertainty_m", "Radius (uncertainty, m)"),
    ("area_km2", "Area (km²)"),
    ("derivation", "How it was drawn"),
    ("notes", "Notes"),
    ("confidence", "Confidence"),
    ("description", "Description"),
)

ET.register_namespace("", KML_NS)


def _kml_colour(hex_rgb: str, opacity: float) -> str:
    """``#rrggbb`` and an opacity as KML's ``aabbggrr``."""
    rgb = hex_rgb.lstrip("#")
    alpha = max(0, min(255, round(opacity * 255)))
    return f"{alpha:02x}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _claims_html(claims: object) -> str:
    if not isinstance(claims, list) or not claims:
        return ""
    rows = []
    for claim in claims:
        killed = "–".join(
            dict.fromkeys(
                _text(claim.get(k))
                for k in ("killed_low", "killed_high")
                if claim.get(k) is not None
            )
        )
        wounded = "–".join(
            dict.fromkeys(
                _text(claim.get(k))
                for k in ("wounded_low", "wounded_high")
                if claim.get(k) is not None
            )
        )
        rows.append(
            f"<tr><td>{html_text(claim.get('claimant'))}</td>"
            f"<td>{html_text(killed or '–')}</td><td>{html_text(wounded or '–')}</td>"
            f"<td>{html_text(claim.get('detail'))}</td></tr>"
        )
    return (
        "<p><b>Casualty claims (each claimant apart, never summed)</b></p>"
        "<table><tr><th>Claimed by</th><th>Killed</th><th>Wounded</th>"
        "<th>Detail</th></tr>" + "".join(rows) + "</table>"
    )


def _sources_html(sources: object) -> str:
    if not isinstance(sources, list) or not sources:
        return ""
    items = []
    for source in sources:
        title = html_text(source.get("title"))
        url = safe_url(source.get("url"))
        outlet = html_text(source.get("outlet"))
        label = f'<a href="{html_text(url)}">{title}</a>' if url else title
        items.append(f"<li>{label}{f' ({outlet})' if outlet else ''}</li>")
    return "<p><b>Sources</b></p><ul>" + "".join(items) + "</ul>"


def description_html(record: Mapping[str, object]) -> str:
    """The HTML of one placemark's description: every value escaped."""
    rows = []
    for field, label in DESCRIBED:
        value = _text(record.get(field))
        if field == "precision_class" and value in PRECISION_CLASSES:
            value = f"{value}: {PRECISION_CLASSES[value].meaning}"
        if value:
            rows.append(
                f"<tr><th>{html_text(label)}</th><td>{html_text(value)}</td></tr>"
            )
    table = "<table>" + "".join(rows) + "</table>" if rows else ""
    return (
        table
        + _claims_html(record.get("claims"))
        + _sources_html(record.get("sources"))
    )


def _placemark_name(name: str, record: Mapping[str, object], index: int) -> str:
    for field in ("title", "name", "crossing", "country"):
        value = _text(record.get(field))
        if value:
            return value
    return f"{name} {index + 1}"


def _geometries(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Geometry to write: no pin for a class without a known site."""
    geometry = gdf.geometry.to_crs(WGS84)
    if "precision_class" not in gdf.columns or "uncertainty_m" not in gdf.columns:
        return geometry
    klass = gdf["precision_class"].astype(str)
    points = geometry.geom_type == "Point"
    discs = points & klass.isin(AREA_ONLY)
    out = geometry.copy()
    out[discs] = [
        geodesic_disc(p.x, p.y, float(r))
        for p, r in zip(geometry[discs], gdf["uncertainty_m"][discs], strict=True)
    ]
    out[klass.isin(NOT_DRAWN)] = None  # listed, not drawn: not even as an area
    return out


def _styles(name: str, gdf: gpd.GeoDataFrame) -> list[dict[str, str]]:
    base = get_layer(name).style
    weight = float(base.get("weight", 1.0))
    fill = bool(base.get("fill", True))
    fill_opacity = float(base.get("fillOpacity", 0.2)) if fill else 0.0
    classes = (
        gdf["precision_class"].astype(str)
        if "precision_class" in gdf.columns
        else pd.Series("", index=gdf.index)
    )
    colours = (
        gdf["sub_event_type"].map(lambda s: EVENT_COLOURS.get(s, DEFAULT_EVENT_COLOUR))
        if name == "events" and "sub_event_type" in gdf.columns
        else pd.Series(str(base.get("color", "#333333")), index=gdf.index)
    )
    fill_colours = (
        colours
        if name == "events"
        else pd.Series(
            str(base.get("fillColor", base.get("color", "#333333"))), index=gdf.index
        )
    )
    styles = []
    for klass, colour, fill_colour in zip(classes, colours, fill_colours, strict=True):
        hatched = klass in HATCHED
        styles.append(
            {
                "line": _kml_colour(colour, 1.0),
                "width": f"{weight * (HATCH_WIDTH_FACTOR if hatched else 1):g}",
                "poly": _kml_colour(
                    fill_colour, fill_opacity * (HATCH_FILL_FACTOR if hatched else 1)
                ),
                "fill": "1" if fill_opacity > 0 else "0",
                "icon": _kml_colour(colour, 1.0),
            }
        )
    return styles


def _q(tag: str) -> str:
    return f"{{{KML_NS}}}{tag}"


def kml_name(value: str) -> str:
    """A placemark name made inert for a viewer that renders names as HTML.

    ``&``, ``<`` and ``>`` become character references (GDAL then escapes the
    whole for XML), so ``<script>`` or ``onerror=`` from data is shown as
    text, never run, as in ``<description>``.
    """
    return html.escape(value, quote=False)


def _add_document_facts(root: ET.Element, facts: Mapping[str, object]) -> None:
    """The export's facts as the Document's ``ExtendedData`` (one JSON value)."""
    document = root.find(_q("Document"))
    if document is None:
        return
    position = next(
        (
            i
            for i, child in enumerate(document)
            if child.tag not in (_q("name"), _q("description"))
        ),
        len(document),
    )
    extended = ET.Element(_q("ExtendedData"))
    data = ET.SubElement(extended, _q("Data"), name="strikemap")
    ET.SubElement(data, _q("displayName")).text = "Export facts (JSON)"
    ET.SubElement(data, _q("value")).text = facts_json(facts)
    document.insert(position, extended)


def document_facts(text: str) -> dict[str, object] | None:
    """The facts a KML document holds in its ``ExtendedData`` (None: none)."""
    root = ET.fromstring(text)
    value = root.find(
        f"{_q('Document')}/{_q('ExtendedData')}/{_q('Data')}[@name='strikemap']/"
        + _q("value")
    )
    if value is None or not value.text:
        return None
    facts = json.loads(value.text)
    return facts if isinstance(facts, dict) else None


def _restyle(
    text: str,
    styles: list[dict[str, str]],
    spans: list[tuple[str, str]],
    facts: Mapping[str, object] | None = None,
) -> str:
    root = ET.fromstring(text)
    if facts is not None:
        _add_document_facts(root, facts)
    placemarks = root.findall(f".//{_q('Placemark')}")
    for placemark, style, (begin, end) in zip(placemarks, styles, spans, strict=True):
        for old in placemark.findall(_q("Style")):
            placemark.remove(old)
        position = next(
            (
                i
                for i, child in enumerate(placemark)
                if child.tag not in (_q("name"), _q("description"))
            ),
            len(placemark),
        )
        element = ET.Element(_q("Style"))
        icon = ET.SubElement(element, _q("IconStyle"))
        ET.SubElement(icon, _q("color")).text = style["icon"]
        line = ET.SubElement(element, _q("LineStyle"))
        ET.SubElement(line, _q("color")).text = style["line"]
        ET.SubElement(line, _q("width")).text = style["width"]
        poly = ET.SubElement(element, _q("PolyStyle"))
        ET.SubElement(poly, _q("color")).text = style["poly"]
        ET.SubElement(poly, _q("fill")).text = style["fill"]
        placemark.insert(position, element)
        if begin:
            span = ET.Element(_q("TimeSpan"))
            ET.SubElement(span, _q("begin")).text = begin
            ET.SubElement(span, _q("end")).text = end or begin
            placemark.insert(position, span)
    return '<?xml version="1.0" encoding="utf-8" ?>\n' + ET.tostring(
        root, encoding="unicode"
    )


def layer_kml(
    name: str, gdf: gpd.GeoDataFrame, *, facts: Mapping[str, object] | None = None
) -> str:
    """The KML text of layer *name* for Google Earth.

    Each feature is a placemark named after its title (or name), with a
    description carrying precision class, radius, derivation, claims and
    sources (escaped), the key fields as ExtendedData, the layer's colours,
    and hatching approximated by a wider outline over a lighter fill.
    Classes without a known site are written as their disc, never a pin;
    country-only events as a placemark without geometry.

    Parameters
    ----------
    name
        A registry layer name (for its style).
    gdf
        The layer's features, in any CRS.
    facts
        The export's facts (``layers.manifest.export_facts``), written as the
        Document's ``ExtendedData``.

    Returns
    -------
    The KML document.
    """
    records = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    frame = pd.DataFrame(
        {
            "Name": [
                kml_name(_placemark_name(name, r, i)) for i, r in enumerate(records)
            ],
            "Description": [description_html(r) for r in records],
        }
    )
    for field in KEY_FIELDS:
        if field in gdf.columns:
            frame[field] = [_text(v) for v in gdf[field]]
    out = gpd.GeoDataFrame(frame, geometry=list(_geometries(gdf)), crs=WGS84)
    spans = [(_text(r.get("date_start")), _text(r.get("date_end"))) for r in records]
    with tempfile.TemporaryDirectory(prefix="strikemap-kml-") as folder:
        path = Path(folder) / f"{name}.kml"
        out.to_file(path, driver="KML", layer=name, engine="pyogrio")
        text = path.read_text(encoding="utf-8")
    return _restyle(text, _styles(name, gdf), spans, facts)

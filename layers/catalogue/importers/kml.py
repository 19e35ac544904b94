"""KML read by its own safe parser: placemarks in, a GeoDataFrame out, no GDAL.

The XML goes through ``defusedxml`` (no DTD, no entities, nothing external),
in one pass however many folders it has, each placemark cleared once read.
What a placemark can name elsewhere (a ``NetworkLink``, an ``href``, a style
icon) is never followed: only the text, times, extended data and geometry of
each ``Placemark`` are taken. A placemark gives the columns GDAL's KML
driver gave: ``name``, ``description``, ``timestamp``, ``begin``, ``end``,
plus one per ``Data`` / ``SimpleData`` name.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import geopandas as gpd
import pandas as pd
import shapely
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from geo.crs import WGS84
from layers.catalogue.errors import CatalogueError
from layers.catalogue.importers.rows import FeatureError
from layers.catalogue.limits import LIMITS, Limits

_GEOMETRIES = {"Point", "LineString", "LinearRing", "Polygon", "MultiGeometry"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, tag: str) -> Iterator[Element]:
    return (child for child in element if _local(child.tag) == tag)


def _child_text(element: Element, *path: str) -> str:
    for tag in path:
        found = next(_children(element, tag), None)
        if found is None:
            return ""
        element = found
    return (element.text or "").strip()


def _positions(element: Element, *, feature: int, name: str, limit: int) -> list:
    text = _child_text(element, "coordinates")
    tuples = text.split()
    if len(tuples) > limit:
        raise FeatureError(
            name,
            f"has {len(tuples):,} positions in one geometry; at most {limit:,} "
            "are read",
            feature=feature,
            column="geometry",
        )
    try:
        return [tuple(float(v) for v in t.split(",")[:2]) for t in tuples]
    except ValueError:
        raise FeatureError(
            name,
            f"'{text[:80]}' are not coordinates; expected 'lon,lat[,alt]' "
            "tuples separated by spaces",
            feature=feature,
            column="geometry",
        ) from None


def _geometry(element: Element, **where: Any) -> shapely.Geometry | None:
    kind = _local(element.tag)
    if kind == "Point":
        points = _positions(element, **where)
        return shapely.Point(points[0]) if points else None
    if kind in ("LineString", "LinearRing"):
        return shapely.LineString(_positions(element, **where))
    if kind == "Polygon":
        rings = [
            _positions(ring, **where)
            for boundary in ("outerBoundaryIs", "innerBoundaryIs")
            for holder in _children(element, boundary)
            for ring in _children(holder, "LinearRing")
        ]
        return shapely.Polygon(rings[0], rings[1:]) if rings else None
    parts = [_geometry(child, **where) for child in element]
    parts = [p for p in parts if p is not None]
    return shapely.GeometryCollection(parts) if parts else None


def _placemark(element: Element, *, feature: int, name: str, limits: Limits) -> dict:
    record: dict[str, object] = {
        "name": _child_text(element, "name"),
        "description": _child_text(element, "description"),
        "timestamp": _child_text(element, "TimeStamp", "when"),
        "begin": _child_text(element, "TimeSpan", "begin"),
        "end": _child_text(element, "TimeSpan", "end"),
    }
    for extended in _children(element, "ExtendedData"):
        for data in extended.iter():
            tag = _local(data.tag)
            if tag == "Data" and data.get("name"):
                record[str(data.get("name"))] = _child_text(data, "value")
            elif tag == "SimpleData" and data.get("name"):
                record[str(data.get("name"))] = (data.text or "").strip()
    if len(record) > limits.properties:
        raise FeatureError(
            name,
            f"has {len(record):,} properties; at most {limits.properties:,} are read",
            feature=feature,
        )
    shapes = [c for c in element if _local(c.tag) in _GEOMETRIES]
    where = {"feature": feature, "name": name, "limit": limits.vertices}
    try:
        record["geometry"] = _geometry(shapes[0], **where) if shapes else None
    except (ValueError, shapely.errors.GEOSException) as exc:
        raise FeatureError(
            name, f"is not a valid geometry ({exc})", feature=feature, column="geometry"
        ) from None
    return record


def read_kml(data: bytes, *, name: str, limits: Limits = LIMITS) -> gpd.GeoDataFrame:
    """Every placemark of a KML document, in WGS84 (text columns).

    Raises
    ------
    CatalogueError
        If the XML is not well formed, declares a DTD or entities, nests
        deeper than ``limits.depth``, or holds more than ``limits.features``
        placemarks; a ``FeatureError`` names the placemark (1 = the first)
        whose geometry or properties break the limits.
    """
    records: list[dict] = []
    depth = 0
    try:
        for event, element in iterparse(
            io.BytesIO(data), events=("start", "end"), forbid_dtd=True
        ):
            if event == "start":
                depth += 1
                if not records and depth == 1 and _local(element.tag) != "kml":
                    raise CatalogueError(
                        name,
                        f"its root element is <{_local(element.tag)[:40]}>, not "
                        "<kml>; only KML is read (a GDAL virtual dataset or other "
                        "XML naming files is never opened)",
                    )
                if depth > limits.depth:
                    raise CatalogueError(
                        name, f"nests elements deeper than {limits.depth} levels"
                    )
                continue
            depth -= 1
            if _local(element.tag) != "Placemark":
                continue
            if len(records) == limits.features:
                raise CatalogueError(
                    name, f"holds more than {limits.features:,} placemarks"
                )
            records.append(
                _placemark(element, feature=len(records) + 1, name=name, limits=limits)
            )
            element.clear()
    except ParseError as exc:
        raise CatalogueError(name, f"is not well-formed XML ({exc})") from None
    except DefusedXmlException as exc:
        raise CatalogueError(
            name, f"declares a DTD or entities, which KML never needs ({exc})"
        ) from None
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    if "geometry" not in frame:
        frame["geometry"] = None
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84)

"""Geodesic distances for the card: a feature to the Iraq-Syria border and the river.

The nearest point of a line is found in the azimuthal equidistant projection
centred on the feature (where distance from the centre is the true geodesic
distance), then the distance and bearing are measured on the WGS84 ellipsoid
with ``pyproj.Geod``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84, aeqd_crs
from geo.errors import EmptyLayerError
from geo.safe import html_text
from layers.border_corridor import border_line

GEOD = Geod(ellps="WGS84")
#: Vertex spacing (degrees, about 200 m) lines are densified to before projecting.
DENSIFY_DEG = 0.002


@dataclass(frozen=True)
class Nearest:
    """The nearest point of a line to a feature, measured on the ellipsoid.

    Attributes
    ----------
    distance_m
        Geodesic distance in metres (0 when the feature touches the line).
    bearing_deg
        Forward azimuth from the feature to the line's point, 0-360 clockwise.
    lon, lat
        The line's nearest point.
    """

    distance_m: float
    bearing_deg: float
    lon: float
    lat: float


def nearest(feature: BaseGeometry, line: BaseGeometry) -> Nearest:
    """The point of *line* nearest to *feature* (both WGS84 lon/lat).

    For an area, the distance is from its edge (0 if the line crosses it).
    """
    (x, y), *_ = shapely.get_coordinates(shapely.centroid(feature))
    crs = aeqd_crs(round(float(x), 9), round(float(y), 9))
    forward = Transformer.from_crs(WGS84, crs, always_xy=True)
    back = Transformer.from_crs(crs, WGS84, always_xy=True)

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))

    # Edges are straight in lon/lat (as GeoJSON means them): densified first,
    # so that they keep that course when projected.
    dense = (shapely.segmentize(g, DENSIFY_DEG) for g in (feature, line))
    here, there = (shapely.transform(g, project) for g in dense)
    ends = shapely.get_coordinates(shapely.shortest_line(here, there))
    (lon1, lon2), (lat1, lat2) = back.transform(ends[:, 0], ends[:, 1])
    azimuth, _, distance = GEOD.inv(lon1, lat1, lon2, lat2)
    if here.intersects(there):
        distance = 0.0
    return Nearest(float(distance), float(azimuth) % 360.0, float(lon2), float(lat2))


def reference_lines(layers: Mapping[str, gpd.GeoDataFrame]) -> dict[str, BaseGeometry]:
    """The lines the card measures to, by the words it uses for them."""
    out: dict[str, BaseGeometry] = {}
    if "countries" in layers:
        with contextlib.suppress(EmptyLayerError):  # a catalogue's own countries
            out["the Iraq-Syria border"] = border_line(layers["countries"])
    if "euphrates" in layers and len(layers["euphrates"]):
        river = layers["euphrates"].to_crs(WGS84).geometry.values
        out["the Euphrates"] = shapely.union_all(river)
    return out


def _km(metres: float) -> str:
    return f"{metres / 1000:,.1f} km" if metres >= 100 else f"{metres:.0f} m"


def distances_html(
    lon: float, lat: float, area: BaseGeometry | None, lines: Mapping[str, BaseGeometry]
) -> str:
    """The card's paragraph: distance and bearing to each line, from the point and area.

    Every word that comes from outside (the line names) is escaped.
    """
    if not lines:
        return ""
    point = shapely.Point(lon, lat)
    items = []
    for name, line in lines.items():
        near = nearest(point, line)
        text = (
            f"{html_text(name)} {_km(near.distance_m)}, bearing {near.bearing_deg:.0f}°"
        )
        if area is not None and area.geom_type in ("Polygon", "MultiPolygon"):
            edge = nearest(area, line).distance_m
            text += (
                " (its area reaches it)" if edge == 0 else f" (its area: {_km(edge)})"
            )
        items.append(text)
    return (
        "<p><b>Distances</b> on the WGS 84 ellipsoid from the stated location: "
        + "; ".join(items)
        + ".</p>"
    )

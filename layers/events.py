"""Layer ``events``: every catalogue event, as a point only where its site is known."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.crs import WGS84
from geo.shapes import geodesic_disc, intersect_constraints
from layers.params import LayerInputs, LayerParams
from layers.sources.catalogue import PRECISION_CLASSES, TIME_PRECISION

#: Precision classes whose site is known to its radius: a named town or
#: facility, or better. Every other event is exported as an area.
SITE_CLASSES = ("P1", "P2")
#: ``geometry_kind`` values: a point where the site is known to its radius, an
#: area (zone or uncertainty disc) everywhere else.
SITE, AREA = "site", "area"


def describe_precision(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add ``precision`` and ``time_precision_text``, the codes in words (new frame)."""
    out = frame.copy()
    out["precision"] = [
        f"{klass}: {PRECISION_CLASSES[klass][0]}" for klass in out["precision_class"]
    ]
    out["time_precision_text"] = [TIME_PRECISION[int(t)] for t in out["time_precision"]]
    return out


def _km(metres: float) -> str:
    return f"{metres / 1000:g} km"


def _site_derivation(event: pd.Series) -> str:
    return (
        f"Point: the published coordinate of {event['location']} "
        f"({event['lat']:g}, {event['lon']:g}); the event lies within "
        f"{_km(event['uncertainty_m'])} of it."
    )


def _disc_derivation(event: pd.Series) -> str:
    return (
        f"Geodesic disc of {_km(event['uncertainty_m'])} around the anchor "
        f"({event['location']}, {event['lat']:g}, {event['lon']:g}); the site is "
        "somewhere inside and its position is not known."
    )


#: The columns that decide an area's shape and derivation.
_SHAPE_KEY = ("lon", "lat", "uncertainty_m", "constraints", "location")


def _area(
    event: pd.Series, inputs: LayerInputs, deps: Mapping[str, gpd.GeoDataFrame]
) -> tuple[BaseGeometry, str]:
    """The disc of *event*'s radius, cut by its constraints when it has any.

    A province-level event (P4, ``admin1:<governorate>`` with a disc that
    holds the governorate) thus becomes its governorate.
    """
    if not str(event["constraints"]).strip():
        disc = geodesic_disc(
            float(event["lon"]), float(event["lat"]), float(event["uncertainty_m"])
        )
        return disc, _disc_derivation(event)
    # strike_zones builds on this module (describe_precision): import late.
    from layers.strike_zones import constraint_areas

    zone = intersect_constraints(
        constraint_areas(cast("Mapping[str, object]", event), inputs, deps),
        subject=str(event["event_id"]),
    )
    return zone.geometry, zone.derivation


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Every event, as precise as its sources and no more (EPSG:4326).

    An event whose site is known to its radius (P1-P2) is a point. Every other
    event is an area: its strike zone if it has one, else the geodesic disc of
    its uncertainty radius around the anchor, cut by its constraints (country,
    governorate, valley, corridor) when it has any. The anchor is kept in ``lon`` /
    ``lat`` and ``anchor_lon`` / ``anchor_lat``; ``geometry_kind`` says which
    (``site`` or ``area``) and ``derivation`` how the shape was made.
    """
    events = describe_precision(inputs.catalogue.events)
    zones = (
        deps["strike_zones"].set_index("event_id") if "strike_zones" in deps else None
    )
    geometries, kinds, derivations = [], [], []
    shaped: dict[tuple[str, ...], tuple[BaseGeometry, str]] = {}
    for point, (_, event) in zip(events.geometry, events.iterrows(), strict=True):
        if event["precision_class"] in SITE_CLASSES:
            geometries.append(point)
            kinds.append(SITE)
            derivations.append(_site_derivation(event))
        elif zones is not None and event["event_id"] in zones.index:
            zone = zones.loc[event["event_id"]]
            geometries.append(zone.geometry)
            kinds.append(AREA)
            derivations.append(str(zone["derivation"]))
        else:
            # Imported events share anchors (ACLED's province-level events all
            # stand at their governorate's circle): shape each place once.
            key = tuple(str(event[c]) for c in _SHAPE_KEY)
            if key not in shaped:
                shaped[key] = _area(event, inputs, deps)
            geometries.append(shaped[key][0])
            kinds.append(AREA)
            derivations.append(shaped[key][1])
    out = events.drop(columns=events.geometry.name)
    out["anchor_lon"] = out["lon"]
    out["anchor_lat"] = out["lat"]
    out["geometry_kind"] = kinds
    out["derivation"] = derivations
    return gpd.GeoDataFrame(out, geometry=geometries, crs=WGS84)

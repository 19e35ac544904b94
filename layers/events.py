"""Layer ``events``: every catalogue event, as a point only where its site is known."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from geo.crs import WGS84
from geo.shapes import geodesic_disc
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


def build(
    inputs: LayerInputs, params: LayerParams, deps: Mapping[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    """Every event, as precise as its sources and no more (EPSG:4326).

    An event whose site is known to its radius (P1-P2) is a point. Every other
    event is an area: its strike zone if it has one, else the geodesic disc of
    its uncertainty radius around the anchor. The anchor is kept in ``lon`` /
    ``lat`` and ``anchor_lon`` / ``anchor_lat``; ``geometry_kind`` says which
    (``site`` or ``area``) and ``derivation`` how the shape was made.
    """
    events = describe_precision(inputs.catalogue.events)
    zones = (
        deps["strike_zones"].set_index("event_id") if "strike_zones" in deps else None
    )
    geometries, kinds, derivations = [], [], []
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
            geometries.append(
                geodesic_disc(
                    float(event["lon"]),
                    float(event["lat"]),
                    float(event["uncertainty_m"]),
                )
            )
            kinds.append(AREA)
            derivations.append(_disc_derivation(event))
    out = events.drop(columns=events.geometry.name)
    out["anchor_lon"] = out["lon"]
    out["anchor_lat"] = out["lat"]
    out["geometry_kind"] = kinds
    out["derivation"] = derivations
    return gpd.GeoDataFrame(out, geometry=geometries, crs=WGS84)

"""Where an imported position lies against its stated country, anywhere on Earth.

Imported files (ACLED, UCDP) are judged against the world's generalised
outlines with a tolerance (``IMPORT_TOLERANCE_M``): a position a few
kilometres off its stated country is accepted and said so; only a gross
mismatch is refused. Everything is vectorised: one spatial join for all
positions, and a loop over the distinct stated countries (never over rows) to
measure the positions that lie outside theirs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Geod, Transformer

from layers.catalogue.model import IMPORT_TOLERANCE_M
from layers.catalogue.world import World, locate, shipped_world

_GEOD = Geod(ellps="WGS84")

#: Verdicts, in the order they are decided. ``inside`` and ``near`` are
#: accepted; the others are refused with ``reason``.
VERDICTS = ("inside", "near", "water", "zero", "swapped", "sea", "mismatch")
ACCEPTED = ("inside", "near", "water")


def _metric(shape: shapely.Geometry) -> CRS:
    x, y = shapely.get_coordinates(shapely.point_on_surface(shape))[0]
    return CRS.from_proj4(
        f"+proj=laea +lat_0={y} +lon_0={x} +datum=WGS84 +units=m +no_defs"
    )


def distance_to_m(
    shape: shapely.Geometry, lon: np.ndarray, lat: np.ndarray
) -> np.ndarray:
    """Geodesic metres from each (lon, lat) to the nearest point of *shape* (0 inside).

    The nearest point is found in an equal-area projection centred on *shape*
    and the distance to it measured on the WGS 84 ellipsoid.
    """
    out = np.zeros(len(lon))
    shapely.prepare(shape)
    outside = ~shapely.contains_xy(shape, lon, lat)
    if not outside.any():
        return out
    forward = Transformer.from_crs("EPSG:4326", _metric(shape), always_xy=True)
    projected = shapely.transform(
        shape, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))
    )
    x, y = forward.transform(lon[outside], lat[outside])
    lines = shapely.shortest_line(projected, shapely.points(x, y))
    near = shapely.get_coordinates(shapely.get_point(lines, 0))
    near_lon, near_lat = forward.transform(near[:, 0], near[:, 1], direction="INVERSE")
    _, _, metres = _GEOD.inv(lon[outside], lat[outside], near_lon, near_lat)
    out[outside] = metres
    return out


def place_positions(
    lon: np.ndarray,
    lat: np.ndarray,
    country: pd.Series,
    *,
    over_water: np.ndarray | None = None,
    tolerance_m: float = IMPORT_TOLERANCE_M,
    world: World | None = None,
) -> pd.DataFrame:
    """Judge each position against its stated country.

    Parameters
    ----------
    lon, lat
        Positions in degrees (WGS 84).
    country
        The stated country of each position, as a reference ``iso_a3``.
    over_water
        Where the source codes the event over water or in airspace (UCDP
        ``where_prec`` 7): such a position at sea is accepted at any distance.
    tolerance_m
        How far outside the stated country a position is still accepted.
    world
        The reference to use (default: the shipped one).

    Returns
    -------
    One row per position, in order: ``iso_a3`` and ``admin1`` it lies in
    (empty at sea), ``off_m`` (metres outside the stated country, 0 inside),
    ``verdict`` (one of ``VERDICTS``) and ``reason`` (empty when accepted;
    otherwise what is wrong, to name with the row and columns).
    """
    world = world or shipped_world()
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    stated = country.fillna("").astype(str).to_numpy()
    out = locate(lon, lat, world=world)
    out["off_m"] = _off_stated(lon, lat, stated, world)
    far = out["off_m"].to_numpy() > tolerance_m
    swapped_in = np.zeros(len(lon), bool)
    swapped_in[far] = _swapped_in_stated(lon[far], lat[far], stated[far], world)
    at_sea = out["iso_a3"].to_numpy() == ""
    water = np.zeros(len(lon), bool) if over_water is None else over_water
    verdict = np.select(
        [
            out["off_m"].to_numpy() == 0,
            out["off_m"].to_numpy() <= tolerance_m,
            water & at_sea & ~((lon == 0) & (lat == 0)),
            (lon == 0) & (lat == 0),
            swapped_in,
            at_sea,
        ],
        ["inside", "near", "water", "zero", "swapped", "sea"],
        default="mismatch",
    )
    out["verdict"] = verdict
    out["reason"] = _reasons(out, stated, world, tolerance_m)
    return out


def _off_stated(
    lon: np.ndarray, lat: np.ndarray, stated: np.ndarray, world: World
) -> np.ndarray:
    shapes = world.countries.set_index("iso_a3").geometry
    off = np.full(len(lon), np.inf)
    for code in pd.unique(stated):  # distinct countries, not rows
        rows = stated == code
        if code in shapes.index:
            off[rows] = distance_to_m(shapes[code], lon[rows], lat[rows])
    return off


def _swapped_in_stated(
    lon: np.ndarray, lat: np.ndarray, stated: np.ndarray, world: World
) -> np.ndarray:
    valid = (np.abs(lon) <= 90) & (lon != lat)
    swapped = locate(np.where(valid, lat, 0.0), np.where(valid, lon, 0.0), world=world)
    return valid & (swapped["iso_a3"].to_numpy() == stated) & (stated != "")


def _reasons(
    out: pd.DataFrame, stated: np.ndarray, world: World, tolerance_m: float
) -> pd.Series:
    names = world.countries.set_index("iso_a3")["name"]
    stated_name = pd.Series(stated).map(names).fillna(pd.Series(stated))
    lies_in = out["iso_a3"].map(names).fillna("the sea")
    km = (out["off_m"] / 1000).round(1).astype(str)
    limit = f"{tolerance_m / 1000:g} km"
    zero = pd.Series(
        "the position is 0, 0 (no position given, not a place)", index=out.index
    )
    text: dict[str, pd.Series] = {
        "zero": zero,
        "swapped": "the position lies outside "
        + stated_name
        + " but lat and lon swapped would lie in it (are lat and lon swapped?)",
        "sea": "the position lies in the open sea, "
        + km
        + " km from "
        + stated_name
        + f" (more than {limit}), for an event on land",
        "mismatch": "the position lies in "
        + lies_in
        + ", "
        + km
        + " km from the stated country "
        + stated_name
        + f" (more than {limit})",
    }
    reason = pd.Series("", index=out.index, dtype=object)
    for verdict, message in text.items():
        rows = out["verdict"] == verdict
        reason[rows] = message[rows]
    refused = (out["verdict"] == "mismatch").to_numpy()
    unknown = np.isinf(out["off_m"].to_numpy())
    reason[refused & unknown & (stated != "")] = (
        "the stated country is not in the reference data"
    )
    reason[refused & (stated == "")] = (
        "no country is stated, but the position lies in " + lies_in
    )[refused & (stated == "")]
    return reason

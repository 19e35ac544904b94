"""What every layer builder receives: the inputs and the user's parameters."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np

from geo.crs import aeqd_crs
from layers.catalogue.model import Catalogue
from layers.catalogue.reference import Reference

#: Half-width of the Euphrates valley corridor. The river's floodplain and the
#: irrigated belt, towns and roads along it in Deir ez-Zor and Anbar lie within
#: roughly 10 km of the channel; the GSHHG centreline is within about 1 km of
#: the channel here, so 10 km holds the valley without reaching the desert
#: plateau on either side.
VALLEY_HALF_WIDTH_KM = 10.0
#: Half-width of the Iraq-Syria border corridor on each side of the border.
#: 25 km takes in al-Qa'im, Husaybah, Abu Kamal and the border posts and
#: crossing between them (all within 10 km of the line).
CORRIDOR_HALF_WIDTH_KM = 25.0
#: The one range of both half-widths, W and D, in km: the page's sliders, its
#: URL, the command line and ``LayerParams`` all take it from here. At 100 km
#: the valley already spans the whole governorates and the corridor the
#: border region; below 1 km nothing of the sources' precision is left.
WIDTH_RANGE_KM = (1.0, 100.0)
#: Metric CRS for the border region: azimuthal equidistant centred between
#: al-Qa'im and Abu Kamal, so distances there are true geodesic distances.
REGION_CRS = aeqd_crs(41.0, 34.4)


@dataclass(frozen=True)
class LayerInputs:
    """The data every layer is built from."""

    reference: Reference
    catalogue: Catalogue

    def beyond_region(self) -> np.ndarray:
        """Where events lie outside the regional reference's countries' bounds.

        Those events take their context (countries, admin-1 areas, towns)
        from the world reference; the shipped catalogue has none.
        """
        events = self.catalogue.events
        lon, lat = events["lon"].to_numpy(float), events["lat"].to_numpy(float)
        west, south, east, north = self.reference.countries.total_bounds
        return np.asarray((lon < west) | (lon > east) | (lat < south) | (lat > north))


@dataclass(frozen=True)
class LayerParams:
    """User-set widths, in kilometres; hashable so layers can be cached by them."""

    valley_half_width_km: float = VALLEY_HALF_WIDTH_KM
    corridor_half_width_km: float = CORRIDOR_HALF_WIDTH_KM

    def __post_init__(self) -> None:
        for name in ("valley_half_width_km", "corridor_half_width_km"):
            check_width_km(getattr(self, name), name)


def check_width_km(value: float, name: str = "width") -> float:
    """*value* if it lies in :data:`WIDTH_RANGE_KM`.

    Raises
    ------
    ValueError
        If it does not (or is not a finite number).
    """
    low, high = WIDTH_RANGE_KM
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low:g} to {high:g} km, got {value:g}")
    return value


def width_km_argument(text: str) -> float:
    """An ``argparse`` type: a half-width in km within :data:`WIDTH_RANGE_KM`."""
    try:
        return check_width_km(float(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None

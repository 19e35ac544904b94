"""Shared fixtures: shipped data, built layers, a writable copy of the catalogue."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from layers.catalogue import CATALOGUE_DIR, read_catalogue
from layers.catalogue.reference import read_reference
from layers.params import LayerInputs, LayerParams
from layers.registry import build_layers
from tests.database_support import (  # noqa: F401 (fixtures: a fresh database per test)
    database_server,
    database_url,
    pg_database,
    pg_server,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

# Facts from outside the code (brief, geodata notes, Wikipedia, GeoNames), lon/lat.
ABU_KAMAL = (40.919, 34.452)
AL_QAIM_GEONAMES = (40.9894, 34.3925)  # GeoNames "Al Qa'im" = Husaybah
AL_QAIM_WIKIPEDIA = (41.1389, 34.3669)
AL_MAYADIN = (40.4515, 35.0198)
DEIR_EZ_ZOR = (40.14, 35.34)
BORDER_KM = 599.0  # CIA World Factbook


@pytest.fixture(scope="session")
def reference():
    return read_reference()


@pytest.fixture(scope="session")
def catalogue():
    return read_catalogue()


@pytest.fixture(scope="session")
def inputs(reference, catalogue):
    return LayerInputs(reference=reference, catalogue=catalogue)


@pytest.fixture(scope="session")
def layers(inputs):
    return build_layers(inputs, LayerParams())


@pytest.fixture
def catalogue_copy(tmp_path) -> Path:
    """A writable copy of the shipped catalogue folder."""
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, target)
    return target


@pytest.fixture
def square_gdf() -> gpd.GeoDataFrame:
    """Two small features near Abu Kamal: a clockwise square with a hole, a point."""
    shell = [(40.9, 34.4), (40.9, 34.5), (41.0, 34.5), (41.0, 34.4)]  # clockwise
    hole = [(40.93, 34.43), (40.97, 34.43), (40.97, 34.47), (40.93, 34.47)]  # ccw
    return gpd.GeoDataFrame(
        {"name": ["square", "point"], "value": [1.5, float("nan")]},
        geometry=[Polygon(shell, [hole]), Point(40.91854, 34.45226)],
        crs="EPSG:4326",
    )

"""The map's measuring tool, run in node: its distances against pyproj.Geod."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from pyproj import Geod

from layers.map.assets import MEASURE_SOURCE

GEOD = Geod(ellps="WGS84")
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")

#: Al-Qa'im -> Abu Kamal, across the region, over 1000 km, along a meridian,
#: along the equator, across the antimeridian, short hops.
PAIRS = [
    (40.99, 34.39, 40.92, 34.45),
    (40.92, 34.45, 44.39, 33.31),
    (44.39, 33.31, 56.25, 26.57),
    (41.0, 30.0, 41.0, 36.0),
    (10.0, 0.0, 30.0, 0.0),
    (179.5, -10.0, -179.5, -10.3),
    (40.99, 34.39, 40.9901, 34.3901),
    (-73.78, 40.64, 139.78, 35.55),
]


def _run_js(pairs):
    script = (
        "global.window = {}; require(process.argv[1]);"
        f"const pairs = {json.dumps(pairs)};"
        "console.log(JSON.stringify(pairs.map(p => window.StrikeMap.inverse(...p))));"
    )
    out = subprocess.run(
        ["node", "-e", script, str(MEASURE_SOURCE)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_js_distance_and_bearing_match_pyproj_geod():
    results = _run_js(PAIRS)
    lon1, lat1, lon2, lat2 = np.array(PAIRS).T
    azimuth, _, distance = GEOD.inv(lon1, lat1, lon2, lat2)
    for got, want, az in zip(results, distance, azimuth, strict=True):
        assert got["distance"] == pytest.approx(want, rel=1e-6, abs=1e-3)
        turn = (got["azimuth"] - az % 360 + 180) % 360 - 180
        assert turn == pytest.approx(0, abs=1e-6)


def test_qaim_to_abu_kamal_is_within_a_thousandth_of_geod():
    (got,) = _run_js([PAIRS[0]])
    _, _, want = GEOD.inv(40.99, 34.39, 40.92, 34.45)
    assert abs(got["distance"] - want) / want < 1e-3
    assert 9_000 < want < 9_500  # about 9.3 km


def test_the_label_words_distance_and_bearing():
    script = (
        "global.window = {}; require(process.argv[1]);"
        "const S = window.StrikeMap;"
        "console.log(JSON.stringify(["
        " S.measureLabel({distance: 9312.4, azimuth: 316.2}),"
        " S.measureLabel({distance: 512, azimuth: 4}),"
        " S.measureLabel({distance: 123456, azimuth: 90})]));"
    )
    out = subprocess.run(
        ["node", "-e", script, str(MEASURE_SOURCE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == [
        "9.31 km, bearing 316°",
        "512 m, bearing 4°",
        "123.5 km, bearing 90°",
    ]

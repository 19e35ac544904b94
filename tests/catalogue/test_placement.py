"""Imported positions judged against their stated country, anywhere on Earth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from layers.catalogue.check.placement import ACCEPTED, place_positions
from layers.catalogue.model import IMPORT_TOLERANCE_M


def _place(rows, **options):
    lon = np.array([r[0] for r in rows], dtype=float)
    lat = np.array([r[1] for r in rows], dtype=float)
    country = pd.Series([r[2] for r in rows])
    return place_positions(lon, lat, country, **options)


def test_positions_in_their_country_are_placed_in_their_admin1():
    out = _place(
        [
            (44.2067, 15.3547, "YEM"),  # Sana'a
            (36.2304, 49.9935, "UKR"),  # Kharkiv
            (-0.0436, 16.2717, "MLI"),  # Gao
            (45.3182, 2.0371, "SOM"),  # Mogadishu
            (35.2033, 33.2705, "LBN"),  # Tyre
        ]
    )
    assert out["verdict"].tolist() == ["inside"] * 5
    assert out["admin1"].tolist() == [
        "Amanat Al Asimah",
        "Kharkiv",
        "Gao",
        "Banaadir",
        "South Lebanon",
    ]
    assert (out["reason"] == "").all()


def test_small_mismatches_are_accepted_within_the_tolerance():
    # The June 2019 drone shoot-down at the position Iran claimed lies over the
    # Gulf of Oman about 15 km off Iran's generalised coast; a point 17 km
    # across the Ukraine-Russia border north of Kharkiv.
    out = _place([(57.0403, 25.9953, "IRN"), (36.50, 50.45, "UKR")])
    assert out["verdict"].tolist() == ["near", "near"]
    assert out["iso_a3"].tolist() == ["", "RUS"]  # drawn where it lies: at sea
    assert out["off_m"].iloc[0] == pytest.approx(15_100, abs=300)
    assert 0 < out["off_m"].max() <= IMPORT_TOLERANCE_M
    assert set(out["verdict"]) <= set(ACCEPTED)


def test_gross_mismatches_are_refused_each_with_its_own_reason():
    out = _place(
        [
            (15.3547, 44.2067, "YEM"),  # Sana'a with lat and lon swapped
            (2.35, 48.85, "MLI"),  # Paris, stated as Mali
            (0.0, 0.0, "MLI"),
            (60.0, 15.0, "YEM"),  # the open Arabian Sea
            (36.60, 50.55, "UKR"),  # 30 km into Russia
        ]
    )
    assert out["verdict"].tolist() == ["swapped", "mismatch", "zero", "sea", "mismatch"]
    assert out["reason"].iloc[0].endswith("(are lat and lon swapped?)")
    assert out["reason"].iloc[1] == (
        "the position lies in France, 2720.5 km from the stated country Mali "
        "(more than 25 km)"
    )
    assert "0, 0" in out["reason"].iloc[2]
    assert "open sea" in out["reason"].iloc[3]
    # Only the swapped pair is asked about swapping.
    assert out["reason"].str.contains("swapped").tolist() == [True] + [False] * 4


def test_events_over_water_may_lie_at_sea():
    out = _place([(60.0, 15.0, "YEM")], over_water=np.array([True]))
    assert out["verdict"].tolist() == ["water"]


def test_many_positions_are_judged_at_once():
    rng = np.random.default_rng(7)
    n = 20_000
    lon = 44.2067 + rng.normal(0, 0.01, n)
    lat = 15.3547 + rng.normal(0, 0.01, n)
    out = place_positions(lon, lat, pd.Series(["YEM"] * n))
    assert len(out) == n
    assert (out["admin1"] == "Amanat Al Asimah").mean() > 0.99

"""Vectorised cell checks: each bad cell found, with its row, column and the rule."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from layers.catalogue.check import cells
from layers.catalogue.check import text as text_checks
from layers.catalogue.check.cells import Problems, Table
from layers.catalogue.errors import CatalogueError, CatalogueErrors


def _table(**columns: list[str]) -> Table:
    frame = pd.DataFrame({k: pd.Series(v, dtype="str") for k, v in columns.items()})
    rows = np.arange(len(frame), dtype=np.int64) + 2
    return Table("t.csv", frame, rows, tuple(columns))


def _raised(problems: Problems) -> CatalogueErrors:
    with pytest.raises(CatalogueErrors) as info:
        problems.raise_if_any()
    return info.value


def test_numbers_accept_plain_decimal_notation():
    table = _table(x=["1", "-2.5", "+3", ".5", "4.", "1e3", "2.5E-1", "0"])
    problems = Problems([table])
    values = cells.numbers(problems, table, "x", low=-10, high=1000)
    assert len(problems) == 0
    assert values.tolist() == [1, -2.5, 3, 0.5, 4, 1000, 0.25, 0]


@pytest.mark.parametrize(
    "text",
    [
        "3_5.5",
        "٣٤",
        "１２",
        "inf",
        "-inf",
        "nan",
        "NaN",
        "1,5",
        "1 000",
        "0x10",
        "1e",
        "--1",
        "e5",
        "+",
        ".",
        "12abc",
    ],
)
def test_numbers_reject_what_python_float_would_accept_or_worse(text):
    table = _table(x=["1", text])
    problems = Problems([table])
    values = cells.numbers(problems, table, "x", low=-1e9, high=1e9)
    assert np.isnan(values[1])
    error = _raised(problems)
    assert str(error).startswith("t.csv, row 3, column 'x': ")
    assert "is not a number; expected a number from -1,000,000,000" in str(error)


@pytest.mark.parametrize("text", ["99999999999999999999", "1e300", "1e400", "-5"])
def test_whole_numbers_out_of_range_are_reported_not_overflowed(text):
    table = _table(killed=[text])
    problems = Problems([table])
    values = cells.numbers(
        problems, table, "killed", low=0, high=10_000_000, integer=True
    )
    assert np.isnan(values[0])
    assert "out of range; expected a whole number from 0 to 10,000,000" in str(
        _raised(problems)
    )


def test_whole_numbers_must_be_whole_and_optional_ones_may_be_empty():
    table = _table(n=["2", "2.5", "", "3.0"])
    problems = Problems([table])
    values = cells.numbers(
        problems, table, "n", low=0, high=9, integer=True, needed=False
    )
    assert values[[0, 3]].tolist() == [2, 3]
    error = _raised(problems)
    assert len(error) == 1 and error.row == 3 and "not whole" in error.problem


def test_dates_must_be_real_plausible_calendar_days():
    table = _table(
        d=[
            "2019-12-29",
            "2020-02-29",
            "2019-02-29",
            "2019-13-45",
            "0001-01-01",
            "9999-12-31",
            "20191227",
            "2019-W52-5",
            "2019-12-29T10:00",
            "",
        ]
    )
    problems = Problems([table])
    values = cells.dates(
        problems, table, "d", earliest=date(1900, 1, 1), latest=date(2030, 1, 1)
    )
    assert str(values[0])[:10] == "2019-12-29" and str(values[1])[:10] == "2020-02-29"
    assert np.isnat(values[2:]).all()
    error = _raised(problems)
    assert [e.row for e in error.errors] == [4, 5, 6, 7, 8, 9, 10, 11]
    assert "not a day of the calendar" in error.errors[0].problem
    assert "out of range" in error.errors[2].problem
    assert "not a date written YYYY-MM-DD" in error.errors[4].problem
    assert "is empty" in error.errors[-1].problem


def test_partial_dates_read_as_the_first_day():
    table = _table(p=["2019", "2019-12", "2019-12-30", "", "2019-1"])
    problems = Problems([table])
    values = cells.dates(
        problems,
        table,
        "p",
        earliest=date(1900, 1, 1),
        latest=date(2030, 1, 1),
        needed=False,
        partial=True,
    )
    assert [str(v)[:10] for v in values[:3]] == [
        "2019-01-01",
        "2019-12-01",
        "2019-12-30",
    ]
    assert _raised(problems).row == 6


def test_control_characters_found_in_any_column_with_row():
    table = _table(
        id=["a", "b\tc", "d"], text=["fine\nlines", "nul\x00", "c1 \x85 here"]
    )
    problems = Problems([table])
    text_checks.control_characters(problems, table, multiline=("text",))
    found = {(e.row, e.column) for e in _raised(problems).errors}
    assert found == {(3, "id"), (3, "text"), (4, "text")}


def test_unique_names_the_first_row():
    table = _table(id=["a", "b", "a", "a", ""])
    problems = Problems([table])
    cells.unique(problems, table, "id")
    error = _raised(problems)
    assert [e.row for e in error.errors] == [4, 5]
    assert "duplicate (first on row 2)" in error.errors[0].problem


def test_items_split_and_join():
    series = pd.Series(["a; b;;c ", "", " d"], dtype="str")
    positions, items = cells.split_items(series, ";")
    assert positions.tolist() == [0, 0, 0, 2] and items.tolist() == ["a", "b", "c", "d"]
    assert cells.join_items(series, ";", "; ").tolist() == ["a; b; c", "", "d"]


def test_problems_are_sorted_and_the_rest_counted():
    table = _table(x=["bad"] * 120, y=["bad"] * 120)
    problems = Problems([table])
    cells.numbers(problems, table, "y", low=0, high=1)
    cells.numbers(problems, table, "x", low=0, high=1)
    error = _raised(problems)
    assert len(error) == 240
    lines = str(error).splitlines()
    assert lines[0] == "240 problems in the catalogue:"
    assert lines[1].startswith("t.csv, row 2, column 'x'")
    assert lines[2].startswith("t.csv, row 2, column 'y'")
    assert lines[-1] == "... and 190 more problems"


def test_a_quoted_value_is_short_and_shows_control_characters():
    table = _table(x=["\x00" + "9" * 500])
    problems = Problems([table])
    cells.numbers(problems, table, "x", low=0, high=1)
    message = str(_raised(problems))
    assert "'\\x00999" in message and "...'" in message and len(message) < 300


def test_one_error_collected_reads_as_itself():
    single = CatalogueErrors([CatalogueError("f.csv", "broken", row=3, column="c")])
    assert str(single) == "f.csv, row 3, column 'c': broken"
    assert (single.path, single.row, single.column) == ("f.csv", 3, "c")

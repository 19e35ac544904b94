"""What the page says when the data cannot be shown, by kind of failure."""

from __future__ import annotations

from pathlib import Path

from geo.errors import ContradictoryConstraintsError, StrikeMapError
from layers.catalogue.errors import CatalogueError
from layers.page.failures import (
    build_failure,
    catalogue_failure,
    load_failure,
    reference_failure,
    static_failure,
)

CATALOGUE = Path("data/catalogue")


def test_a_cell_error_asks_to_fix_that_cell():
    exc = CatalogueError("events.csv", "'x' is not a number", row=3, column="lat")
    failure = load_failure(exc, CATALOGUE)
    assert "A cell of the catalogue needs fixing" in failure.message
    assert "row 3" in failure.message and "correct the cell" in failure.advice


def test_a_file_error_asks_for_the_files_not_a_cell():
    exc = CatalogueError("cat/events.csv", "file not found")
    failure = catalogue_failure(exc, CATALOGUE)
    assert "could not be opened" in failure.message
    assert "events.csv" in failure.advice and "cell" not in failure.advice


def test_a_broken_reference_file_is_an_install_problem():
    failure = load_failure(StrikeMapError("countries.geojson: no features"), CATALOGUE)
    assert failure == reference_failure(
        StrikeMapError("countries.geojson: no features")
    )
    assert "installation" in failure.message and "data/reference" in failure.advice
    assert "cell" not in failure.message + failure.advice


def test_contradictory_sources_are_named_as_such():
    exc = ContradictoryConstraintsError("S-IQ-1: no area in common")
    failure = build_failure(exc, CATALOGUE)
    assert "contradict" in failure.message and "constraints" in failure.advice
    other = build_failure(
        StrikeMapError("constraint country:XYZ names no feature"), CATALOGUE
    )
    assert "contradict" not in other.message and "XYZ" in other.message


def test_a_folder_that_is_not_writable_is_said_so():
    failure = static_failure(PermissionError(13, "Permission denied"), Path("static"))
    assert "Permission denied" in failure.message and "writable" in failure.advice


def test_text_quoted_from_data_cannot_become_markdown():
    exc = CatalogueError(
        "events.csv", "'![x](http://evil.invalid/p.png)' is not a number", row=2
    )
    failure = load_failure(exc, "![y](http://evil.invalid/q.png)")
    for text in (failure.message, failure.advice):
        assert "![" not in text and "](" not in text

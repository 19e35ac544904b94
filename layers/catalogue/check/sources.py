"""Rules for the sources table, and ids that refer to it."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from layers.catalogue.check import cells
from layers.catalogue.check.cells import Problems, Table
from layers.catalogue.model import (
    EARLIEST_DATE,
)


def _ids(problems: Problems, table: Table, column: str, what: str) -> None:
    cells.required(problems, table, column, what)
    bad = cells.matches(table.frame[column], ";")
    problems.add(
        table,
        bad,
        column,
        f"'{{value}}' holds ';', which separates ids in source_ids; expected {what}",
    )


def references(
    problems: Problems,
    table: Table,
    column: str,
    known: pd.Series,
    *,
    what: str,
) -> None:
    """Every ``;``-separated id in *column* must be in *known*."""
    positions, items = cells.split_items(table.frame[column], ";")
    unknown = ~cells.isin(items, known)
    problems.add(
        table,
        positions[unknown],
        column,
        f"'{{value}}' is not {what}; expected an id listed there (add it, or fix "
        "the id)",
        values=items.to_numpy()[unknown],
    )
    listed = np.zeros(len(table), dtype=bool)
    listed[positions] = True
    problems.add(
        table,
        ~listed & ~cells.empty(table, column),
        column,
        "'{value}' names no id; expected ids separated by ';'",
    )


# --- sources ------------------------------------------------------------------


def check_sources(problems: Problems, table: Table, latest: date) -> None:
    """Check the sources table: ids, titles and publication dates."""
    _ids(problems, table, "source_id", "a source id (unique, no ';')")
    cells.unique(problems, table, "source_id")
    cells.required(problems, table, "title", "the title of the source")
    # Any text, even none, is kept as a source's URL: a shared catalogue may hold
    # "javascript:", "data:" or no address at all. Only an http(s) address ever
    # becomes a link; geo/safe.py decides and the card says when it withheld one.
    cells.dates(
        problems,
        table,
        "published",
        earliest=EARLIEST_DATE,
        latest=latest,
        needed=False,
        partial=True,
    )

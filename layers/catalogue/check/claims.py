"""Rules for the claims table: what each claim applies to, and its figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers.catalogue.check import cells
from layers.catalogue.check.cells import Problems, Table
from layers.catalogue.check.places import (
    pick,
)
from layers.catalogue.model import (
    MAX_CASUALTIES,
)

_CASUALTIES = ("killed", "wounded")


def check_claims(
    problems: Problems, table: Table, targets: pd.Series
) -> dict[str, np.ndarray]:
    """Check the claims table; return the casualty figures (NaN where missing)."""
    cells.required(
        problems, table, "applies_to", "an event_id or group_id of the events"
    )
    frame = table.frame
    unknown = ~cells.isin(frame["applies_to"], targets) & ~cells.empty(
        table, "applies_to"
    )
    problems.add(
        table,
        unknown,
        "applies_to",
        "'{value}' is neither an event_id nor a group_id of the events; expected "
        "one of them",
    )
    cells.required(problems, table, "claimant", "who makes the claim")
    figures = {}
    for what in _CASUALTIES:
        for end in ("low", "high"):
            column = f"{what}_{end}"
            figures[column] = cells.numbers(
                problems,
                table,
                column,
                low=0,
                high=MAX_CASUALTIES,
                integer=True,
                needed=False,
            )
        low, high = figures[f"{what}_low"], figures[f"{what}_high"]
        below = high < low
        problems.add(
            table,
            below,
            f"{what}_high",
            f"{{value}} is below {what}_low {{detail}}; expected {what}_high at "
            f"least {what}_low",
            details=pick(frame[f"{what}_low"], below),
        )
    return figures

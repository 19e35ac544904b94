"""The three native tables an importer produces, and their check.

Importers turn ACLED, UCDP and drawn-feature files into the native tables
(events, claims, sources: all-string frames with the model's columns), then
the native validator checks them like any catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

import pandas as pd

from layers.catalogue.check.rules import validate_tables
from layers.catalogue.importers.columns import text_sources
from layers.catalogue.model import (
    CLAIM_COLUMNS,
    EVENT_COLUMNS,
    SOURCE_COLUMNS,
    Catalogue,
)


class Tables(NamedTuple):
    """The three native tables an importer produces (all-string frames).

    Each frame has the schema's columns plus ``_row``: the row or feature
    number in the original file, for messages.
    """

    events: pd.DataFrame
    claims: pd.DataFrame
    sources: pd.DataFrame


def native_frame(
    columns: Sequence[str], data: Mapping[str, object], index: pd.Index
) -> pd.DataFrame:
    """A frame with exactly *columns* (missing ones ""), all text, plus ``_row``."""
    frame = pd.DataFrame(index=index)
    for column in (*columns, "_row"):
        frame[column] = cast(Any, data.get(column, ""))
    for column in columns:
        frame[column] = frame[column].astype(str).replace({"nan": "", "<NA>": ""})
    return frame.reset_index(drop=True)


def events_frame(data: Mapping[str, object], index: pd.Index) -> pd.DataFrame:
    """The native events table from column values (see :func:`native_frame`)."""
    return native_frame(EVENT_COLUMNS, data, index)


def claims_frame(data: Mapping[str, object], index: pd.Index) -> pd.DataFrame:
    """The native claims table from column values (see :func:`native_frame`)."""
    return native_frame(CLAIM_COLUMNS, data, index)


def to_catalogue(tables: Tables, *, name: str) -> Catalogue:
    """Check native tables made from file *name* and join them into a catalogue.

    Raises
    ------
    CatalogueError
        If the native validator finds a problem (named after *name*).
    """
    names = {
        "events": f"{name} (as events)",
        "claims": f"{name} (as claims)",
        "sources": f"{name} (as sources)",
    }
    return validate_tables(
        tables.events, tables.claims, tables.sources, names=names, path=name
    )


@dataclass(frozen=True)
class Importer:
    """One import format as the opener sees it.

    Attributes
    ----------
    to_tables
        ``to_tables(data, name=...)``: the file's bytes to native tables.
    original_columns
        Native column -> the file's own column, so the checker's messages
        name the column the user sees.
    unit
        ``"row"`` (tables) or ``"feature"`` (vector files), for messages.
    """

    to_tables: Callable[..., Tables]
    original_columns: Mapping[str, str]
    unit: str = "row"


def dataset_sources(
    citations: pd.Series, *, prefix: str, dataset: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The sources of a dataset export: the dataset itself and each cited text.

    Parameters
    ----------
    citations
        The free-text citation cell of each row (ACLED ``source``, UCDP
        ``source_article``).
    prefix
        The prefix of the cited texts' source ids.
    dataset
        The dataset's own source row (``source_id``, ``title``, ``outlet``).

    Returns
    -------
    The sources table, each row's ``;``-joined source ids (the dataset's
    first) and each row's number of cited texts.
    """
    cited, cited_ids = text_sources(citations, prefix=prefix)
    count = cited_ids.str.count(";") + (cited_ids != "").astype(int)
    own = pd.DataFrame(
        [{"published": "", "url": "", **dataset}], columns=list(SOURCE_COLUMNS)
    )
    sources = pd.concat([own, cited], ignore_index=True)
    sources["_row"] = 0
    ids = (dataset["source_id"] + "; " + cited_ids).str.rstrip("; ")
    return sources, ids, count

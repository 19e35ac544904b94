"""The order of the rules: ``validate_tables`` checks the three tables.

It checks them as text cells, all rules on whole columns at once, and
collects every problem (file, row, column, what is expected) before raising.
It then builds the typed catalogue, joining claims and sources to events once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from layers.catalogue.check import cells, text
from layers.catalogue.check.assemble import assemble
from layers.catalogue.check.cells import Problems, Table
from layers.catalogue.check.claims import check_claims
from layers.catalogue.check.constraints import check_constraints
from layers.catalogue.check.events import Parsed, check_candidates, check_event_cells
from layers.catalogue.check.evidence import capture_store, check_source_evidence
from layers.catalogue.check.geography import Areas, areas_from, shipped_areas
from layers.catalogue.check.places import (
    Positions,
    check_places,
)
from layers.catalogue.check.sources import check_sources, references
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.model import (
    FUTURE_DAYS,
    OPTIONAL_COLUMNS,
    TABLE_COLUMNS,
    Catalogue,
)
from layers.catalogue.reference import Reference
from layers.catalogue.store.tables import ROW
from layers.catalogue.world import shipped_world

MULTILINE = (
    "title",
    "attacker",
    "target",
    "target_kind",
    "location",
    "description",
    "notes",
    "claimant",
    "detail",
    "outlet",
)


def _stripped(cells_: pd.Series) -> pd.Series:
    """Cells as stripped text (missing as empty), vectorised in Arrow."""
    if not isinstance(cells_.dtype, pd.StringDtype):
        cells_ = cells_.fillna("").astype("str")
    array = pa.array(cells_, type=pa.large_string())
    if not text.may_need_trim(array):
        return cells_.fillna("")
    trimmed = pc.utf8_trim_whitespace(array)
    return pd.Series(trimmed.to_pandas(), dtype="str").fillna("")


def _table(frame: pd.DataFrame, key: str, name: str) -> Table:
    optional = OPTIONAL_COLUMNS.get(key, ())
    columns = TABLE_COLUMNS[key] + tuple(c for c in optional if c in frame.columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CatalogueError(
            name,
            f"missing column(s) {', '.join(missing)}; expected: {', '.join(columns)}",
            row=1,
        )
    if frame.columns.duplicated().any():
        twice = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise CatalogueError(
            name, f"column(s) {', '.join(map(str, twice))} appear twice", row=1
        )
    stripped = pd.DataFrame({c: _stripped(frame[c]) for c in columns}).reset_index(
        drop=True
    )
    if ROW in frame.columns:
        rows = pd.to_numeric(frame[ROW]).to_numpy(dtype=np.int64)
    else:
        rows = np.arange(len(frame), dtype=np.int64) + 2
    return Table(name=name, frame=stripped, rows=rows, columns=columns)


def validate_tables(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    names: Mapping[str, str],
    reference: Reference | None = None,
    path: str = "",
    native: bool = False,
) -> Catalogue:
    """Check the three native tables and join them into a catalogue.

    Parameters
    ----------
    events, claims, sources
        The tables as all-string frames with the columns of the schema
        (``layers.catalogue.model``); other columns are ignored. An optional
        integer column ``_row`` gives the row number to report (default:
        position + 2, the header being row 1).
    names
        The file name to show in errors for ``"events"``, ``"claims"`` and
        ``"sources"``.
    reference
        The reference geodata to check positions against (default: the
        shipped data).
    path
        Where the catalogue came from (kept on the result).
    native
        True for a native catalogue (a folder or a zip of one): source URLs
        must be http(s) (or empty), and events in the fitted regional
        reference are held to its outlines. An import keeps any URL text and
        may lie up to ``IMPORT_TOLERANCE_M`` outside its stated country.

    Returns
    -------
    The validated catalogue.

    Raises
    ------
    CatalogueErrors
        Every problem found, each with file, row, column and what is expected.
    """
    areas = shipped_areas() if reference is None else areas_from(reference)
    latest = date.today() + timedelta(days=FUTURE_DAYS)
    event_table, claim_table, source_table = _tables(events, claims, sources, names)
    problems = Problems([event_table, claim_table, source_table])
    for table in (event_table, claim_table, source_table):
        text.control_characters(problems, table, multiline=MULTILINE)
    check_sources(problems, source_table, latest)
    check_source_evidence(
        problems, source_table, store=capture_store(path), native=native
    )
    parsed = check_event_cells(problems, event_table, areas, latest, shipped_world)
    check_candidates(problems, event_table, parsed)
    notes = _places(problems, event_table, parsed, areas, native=native)
    check_constraints(problems, event_table, parsed, areas)
    figures = _links(problems, event_table, claim_table, source_table)
    problems.raise_if_any()
    event_table = _with_notes(event_table, notes)
    return assemble(event_table, claim_table, source_table, parsed, figures, path)


def _tables(
    events: pd.DataFrame,
    claims: pd.DataFrame,
    sources: pd.DataFrame,
    names: Mapping[str, str],
) -> tuple[Table, Table, Table]:
    """The three tables as text cells; raise if a header is wrong or no event."""
    structure = []
    tables = {}
    for key, frame in (("events", events), ("claims", claims), ("sources", sources)):
        try:
            tables[key] = _table(frame, key, names[key])
        except CatalogueError as exc:
            structure.append(exc)
    if structure:
        raise CatalogueErrors(structure)
    if len(tables["events"]) == 0:
        raise CatalogueErrors(
            [
                CatalogueError(
                    tables["events"].name,
                    "has a header but no events; expected one event a row from row 2",
                    row=2,
                )
            ]
        )
    return tables["events"], tables["claims"], tables["sources"]


def _with_notes(table: Table, notes: np.ndarray) -> Table:
    """The events with each non-empty placement note added to their notes."""
    noted = notes != ""
    if not noted.any():
        return table
    frame = table.frame.copy()
    frame.loc[noted, "notes"] = (
        frame["notes"][noted].str.cat(notes[noted], sep=" ").str.strip()
    )
    return Table(table.name, frame, table.rows, table.columns)


def _places(
    problems: Problems, table: Table, parsed: Parsed, areas: Areas, *, native: bool
) -> np.ndarray:
    """The position rules (``check/places.py``); the world is read only if needed."""
    return check_places(
        problems,
        table,
        Positions(parsed.lat, parsed.lon, parsed.radius, parsed.where_prec),
        areas,
        country_ok=parsed.country_ok,
        native=native,
        world=shipped_world,
    )


def _links(
    problems: Problems, event_table: Table, claim_table: Table, source_table: Table
) -> dict[str, np.ndarray]:
    """Cited sources exist, claims apply to events or groups; the claims' figures."""
    known_sources = source_table.frame["source_id"]
    sources_file = source_table.name.rsplit("/", 1)[-1]
    for table in (event_table, claim_table):
        cells.required(problems, table, "source_ids", f"ids from {sources_file}")
        references(
            problems, table, "source_ids", known_sources, what=f"in {sources_file}"
        )
    groups = event_table.frame["group_id"]
    targets = pd.concat([event_table.frame["event_id"], groups[groups != ""]])
    return check_claims(problems, claim_table, targets)

"""What the page says when the data cannot be shown, by kind of failure.

A wrong cell is the analyst's to fix, a missing or damaged reference file is an
installation problem, and sources that contradict each other are a research
question; each gets its own message and advice. Any other exception is a bug
and is not caught by the page. Every text quoted from an error (which may quote
a catalogue cell) is escaped for Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.errors import ContradictoryConstraintsError, StrikeMapError
from geo.safe import markdown_text
from layers.catalogue.errors import CatalogueError

_OTHER_CATALOGUE = (
    "Catalogue in use: {path}. Set `STRIKEMAP_CATALOGUE` or pass "
    "`-- --catalogue DIR` to `streamlit run` to open another."
)


@dataclass(frozen=True)
class Failure:
    """A message for ``st.error`` and its advice for ``st.markdown`` (both Markdown)."""

    message: str
    advice: str

    def widgets(self) -> list[tuple[str, dict[str, str]]]:
        """The page elements that show the failure: the error, then the advice."""
        return [("error", {"body": self.message}), ("markdown", {"body": self.advice})]


def catalogue_failure(exc: CatalogueError, catalogue: Path | str) -> Failure:
    """The catalogue breaks its schema: a cell, a column or a file to fix."""
    other = _OTHER_CATALOGUE.format(path=markdown_text(catalogue))
    if exc.row is not None or exc.column is not None:
        return Failure(
            "A cell of the catalogue needs fixing.\n\n" + markdown_text(exc),
            "**How to fix it:** open the file named above in a spreadsheet or text "
            "editor, correct the cell at the row and column given, save it as CSV "
            "(UTF-8) and reload this page. The columns and allowed values are "
            "described in `data/README.md`. " + other,
        )
    return Failure(
        "The catalogue could not be opened.\n\n" + markdown_text(exc),
        "**How to fix it:** a catalogue is a folder holding `events.csv`, "
        "`claims.csv` and `sources.csv`, each a UTF-8 CSV file with the header "
        "row described in `data/README.md`. " + other,
    )


def static_failure(exc: OSError, folder: Path) -> Failure:
    """The map's Leaflet files cannot be copied where Streamlit serves them."""
    return Failure(
        f"Cannot copy the map's Leaflet files into {markdown_text(folder)} "
        f"({markdown_text(exc.strerror or exc)}).",
        "**How to fix it:** the map needs that folder to be writable once; run "
        "the dashboard from a writable copy of the project.",
    )


def reference_failure(exc: StrikeMapError) -> Failure:
    """The shipped reference geodata is missing or damaged: an install problem."""
    return Failure(
        "The map's reference data could not be read: the installation is "
        "incomplete or damaged.\n\n" + markdown_text(exc),
        "**How to fix it:** the files in `data/reference/` ship with the project "
        "and are not meant to be edited. Restore them from the repository "
        "(`git checkout -- data/reference`) or from a fresh copy; "
        "`data/README.md` says how they are built.",
    )


def build_failure(exc: StrikeMapError, catalogue: Path | str) -> Failure:
    """The catalogue reads, but a layer cannot be built from what it says."""
    other = _OTHER_CATALOGUE.format(path=markdown_text(catalogue))
    if isinstance(exc, ContradictoryConstraintsError):
        return Failure(
            "The sources contradict each other: an event's location constraints "
            "do not overlap.\n\n" + markdown_text(exc),
            "**How to fix it:** check that event's `constraints`, its point and its "
            "`uncertainty_m` in `events.csv`: each constraint must share some area "
            "with the disc of the uncertainty radius. If the sources really "
            "disagree, keep the constraint you trust and note the other in "
            "`notes`. " + other,
        )
    return Failure(
        "The layers could not be built from this catalogue.\n\n" + markdown_text(exc),
        "**How to fix it:** the message above names what is missing; a constraint "
        "must name a country (ISO alpha-3) or governorate present in the "
        "reference data. " + other,
    )


def load_failure(exc: StrikeMapError, catalogue: Path | str) -> Failure:
    """The message for an error raised while reading the reference or *catalogue*.

    The catalogue reader raises only :class:`CatalogueError`; any other
    project error at this stage comes from the shipped reference data.
    """
    if isinstance(exc, CatalogueError):
        return catalogue_failure(exc, catalogue)
    return reference_failure(exc)

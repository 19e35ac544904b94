"""Data errors: what is wrong with a catalogue, where, and what is expected."""

from __future__ import annotations

from collections.abc import Sequence

from geo.errors import StrikeMapError

#: How many problems a collected error spells out before counting the rest.
MAX_SHOWN = 50


class CatalogueError(StrikeMapError):
    """A catalogue file breaks its schema.

    Parameters
    ----------
    path
        The file at fault (the name shown to the user).
    problem
        What is wrong and what is expected instead.
    row
        The spreadsheet row (the header is row 1), if one row is at fault.
    column
        The column at fault, if one is.
    """

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.problem = problem
        super().__init__(f"{self.where}: {problem}")

    @property
    def where(self) -> str:
        """``<file>, row <n>, column '<col>'`` (as much as is known)."""
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return where


class CatalogueErrors(CatalogueError):  # noqa: N818 (a collection of errors)
    """Every problem found in a catalogue, collected rather than stopped at.

    The message lists the first ``MAX_SHOWN`` problems, one a line, and counts
    the rest. ``path``, ``row``, ``column`` and ``problem`` are those of the
    first problem, so code that handles a single ``CatalogueError`` still works.

    Parameters
    ----------
    errors
        The problems (at least one), in the order to show them; may be the
        first of many, see *total*.
    total
        How many problems there are in all (default: ``len(errors)``).
    """

    def __init__(
        self, errors: Sequence[CatalogueError], *, total: int | None = None
    ) -> None:
        if not errors:
            raise ValueError("CatalogueErrors needs at least one error")
        self.errors: tuple[CatalogueError, ...] = tuple(errors)
        self.total = max(len(self.errors), total or 0)
        first = self.errors[0]
        self.path, self.row, self.column = first.path, first.row, first.column
        self.problem = first.problem
        lines = [str(e) for e in self.errors[:MAX_SHOWN]]
        rest = self.total - len(lines)
        if rest > 0:
            lines.append(f"... and {rest} more problem{'s' if rest > 1 else ''}")
        count = self.total
        head = (
            lines[0]
            if count == 1
            else f"{count} problems in the catalogue:\n" + "\n".join(lines)
        )
        StrikeMapError.__init__(self, head)

    def __len__(self) -> int:
        return self.total

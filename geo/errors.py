"""Narrow, actionable exceptions: raised by pure code, caught only at the edges."""

from __future__ import annotations


class StrikeMapError(ValueError):
    """Base class of every error this project raises on purpose."""


class MissingCRSError(StrikeMapError):
    """A GeoDataFrame or GeoSeries has no CRS, so it cannot be measured."""


class EmptyLayerError(StrikeMapError):
    """A layer has no features where at least one is required."""


class InvalidGeometryError(StrikeMapError):
    """A geometry is invalid and ``make_valid`` could not repair it."""


class ContradictoryConstraintsError(StrikeMapError):
    """The constraints on a location do not overlap: the sources contradict."""


class CatalogueError(StrikeMapError):
    """A catalogue file breaks its schema.

    Parameters
    ----------
    path
        The file at fault.
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
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")

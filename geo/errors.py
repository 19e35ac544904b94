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

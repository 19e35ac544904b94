"""Time playback: frames of a day, a week or a month over the filtered events.

A frame is a window of whole days. In a frame an event is *current* (its dates
overlap the window), *before* (it ended before the window: drawn faded), or not
shown yet (it starts after the window). An event known only to its week or
month (``time_precision`` 2 or 3) is never put on one day: while its span
overlaps the window it is *spanning*, drawn lighter, in every frame of the span.
Everything here is vectorised over the events and free of Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    pass

#: Frame lengths, and the pandas period each is.
STEPS = {"day": "D", "week": "W-SUN", "month": "M"}
DEFAULT_STEP = "week"
#: Seconds per frame while playing.
SPEEDS = (0.5, 1.0, 2.0, 4.0)
DEFAULT_SPEED = 1.0
#: Roles of an event in a frame.
LATER, CURRENT, BEFORE, SPANNING = 0, 1, 2, 3
#: ``time_precision`` from which an event is known only to a week or a month.
COARSE_TIME = 2


@dataclass(frozen=True)
class Window:
    """A frame: the days from *start* to *end*, both included."""

    start: date
    end: date

    @property
    def text(self) -> str:
        """The window as the URL holds it: ``2019-12-23/2019-12-29``."""
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def window_of(day: date, step: str) -> Window:
    """The window of *step* ("day", "week" Monday-Sunday, "month") holding *day*."""
    period = pd.Period(day, freq=STEPS[step])
    return Window(period.start_time.date(), period.end_time.date())


def windows(first: date, last: date, step: str) -> list[Window]:
    """Every window of *step* from the one holding *first* to the one holding *last*."""
    periods = pd.period_range(first, last, freq=STEPS[step])
    starts = periods.start_time.date
    ends = periods.end_time.date
    return [Window(s, e) for s, e in zip(starts, ends, strict=True)]


def event_windows(events: pd.DataFrame, step: str) -> list[Window]:
    """The frames that run through *events* (none for no events)."""
    if len(events) == 0:
        return []
    first = pd.Timestamp(events["date_start"].min()).date()
    last = pd.Timestamp(events["date_end"].max()).date()
    return windows(first, last, step)


def parse_window(text: str) -> Window | None:
    """``START/END`` (ISO days, START <= END) as a window, or None if malformed."""
    parts = text.split("/")
    if len(parts) != 2:
        return None
    try:
        start, end = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
    except ValueError:
        return None
    return Window(start, end) if start <= end else None


def frame_text(text: str, key: str, options: object) -> tuple[object, str | None]:
    """A URL parser (``layers.page.view.Parser``) for the frame window."""
    if parse_window(text) is not None:
        return text, None
    return None, (
        f"'{key}' should be two days like 2019-12-23/2019-12-29; showed all events."
    )


def speed(text: str, key: str, options: object) -> tuple[object, str | None]:
    """A URL parser for the seconds per frame: one of ``SPEEDS``."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value in SPEEDS:
        return value, None
    allowed = ", ".join(f"{s:g}" for s in SPEEDS)
    return (
        None,
        f"'{key}' should be one of {allowed} (seconds); used {DEFAULT_SPEED:g}.",
    )


def roles(events: pd.DataFrame, window: Window) -> np.ndarray:
    """Each event's role in *window*: LATER, CURRENT, BEFORE or SPANNING."""
    first = np.datetime64(window.start, "D")
    after = np.datetime64(window.end + timedelta(days=1), "D")
    start = events["date_start"].to_numpy(dtype="datetime64[s]")
    end = events["date_end"].to_numpy(dtype="datetime64[s]")
    coarse = events["time_precision"].to_numpy(dtype=np.int64) >= COARSE_TIME
    overlaps = (start < after) & (end >= first)
    out = np.full(len(events), LATER, dtype=np.int8)
    out[end < first] = BEFORE
    out[overlaps] = np.where(coarse[overlaps], SPANNING, CURRENT)
    return out


def frame_payload(events: pd.DataFrame, window: Window, step: str) -> dict[str, Any]:
    """What the map needs of a frame: its window, label and the events' roles.

    *events* are the events drawn in the frame (none ``LATER``).
    """
    role = roles(events, window)
    ids = events["event_id"].astype(str).to_numpy(dtype=object)
    return {
        "window": [window.start.isoformat(), window.end.isoformat()],
        "label": frame_label(role, window, step),
        "faded": ids[role == BEFORE].tolist(),
        "spanning": ids[role == SPANNING].tolist(),
    }


def frame_label(role: np.ndarray, window: Window, step: str) -> str:
    """The frame in words: its window and how many events are in each role."""
    current = int((role == CURRENT).sum())
    before = int((role == BEFORE).sum())
    spanning = int((role == SPANNING).sum())
    words = f"Frame: {step} of {window.start}"
    if window.end != window.start:
        words += f" to {window.end}"
    return (
        f"{words}. {current} event(s) in it, {before} before it (faded), "
        f"{spanning} known only to a wider span (lighter, across all of it)."
    )


@dataclass(frozen=True)
class Playback:
    """The playback state of a session: frames of *step*, one of them shown.

    *index* is None when no frame is chosen (the map shows all filtered events).
    """

    step: str = DEFAULT_STEP
    index: int | None = None
    playing: bool = False
    speed: float = DEFAULT_SPEED


def start_playback(
    frames: list[Window], *, text: str, step: str, speed: float
) -> tuple[Playback, str | None]:
    """The playback a link asks for (*text* "" for none), and a notice if refused.

    A window that is not one of *frames* opens on the frame holding its first
    day, or on no frame when that day is outside them.
    """
    if not text:
        return Playback(step=step, speed=speed), None
    window = parse_window(text)
    wanted = window_of(window.start, step) if window else None
    starts = [w.start for w in frames]
    if wanted is not None and wanted.start in starts:
        notice = (
            None
            if wanted == window
            else (
                f"'frame' is not a {step} of the events; opened the {step} holding "
                f"{window.start}."  # type: ignore[union-attr]
            )
        )
        return Playback(step, starts.index(wanted.start), False, speed), notice
    return Playback(step=step, speed=speed), (
        f"'frame' {text} is outside the events' {step}s; showed all events."
    )


def act(play: Playback, action: str, count: int) -> Playback:
    """*play* after *action* ("play", "pause", "back", "next", "tick", "all").

    *count* is the number of frames. "tick" is a timer step while playing; at
    the last frame playing stops. Play from the last frame starts again.
    """
    last = count - 1
    if count == 0 or action == "all":
        return replace(play, index=None, playing=False)
    index = play.index
    if action == "play":
        start = 0 if index is None or index >= last else index
        return replace(play, index=start, playing=True)
    if action == "pause":
        return replace(play, playing=False)
    if action == "back":
        return replace(play, index=max(0, (last if index is None else index) - 1))
    step = 0 if index is None else min(last, index + 1)
    if action == "tick":
        return replace(play, index=step, playing=play.playing and step < last)
    return replace(play, index=step)


def set_step(play: Playback, frames: list[Window], step: str) -> Playback:
    """*play* with frames of *step*: the new frame holds the old one's first day."""
    if play.index is None or play.step == step:
        return replace(play, step=step)
    day = frames[min(play.index, len(frames) - 1)].start
    new = window_of(day, step)
    first = frames[0].start
    count = len(windows(first, frames[-1].end, step))
    position = len(windows(first, new.start, step)) - 1
    return replace(play, step=step, index=max(0, min(count - 1, position)))

"""The playback controls and the session's playback, kept in session state.

Pure functions over a mapping (``st.session_state`` on the page): the page
draws what :func:`controls` lists and reruns the map alone on a timer while
playing (``st.fragment(run_every=...)``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import replace
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.safe import markdown_text
from layers.page.filters import frame_layers
from layers.page.playback import (
    SPEEDS,
    STEPS,
    Playback,
    Window,
    act,
    event_windows,
    frame_payload,
    set_step,
    start_playback,
)

#: Session keys: the playback, its frames, whether a control was used in this
#: rerun (so the timer does not step as well), and the link's notice.
PLAY, FRAMES, ACTED, NOTICE = "_play", "_frames", "_play_acted", "_play_notice"
STEP_KEY, SPEED_KEY = "play_step", "play_speed"
#: Whether the whole page is running (not the map alone), and playing in it.
IN_MAIN, RUNNING = "_in_main", "_running"


def begin(
    ss: MutableMapping[str, Any],
    events: pd.DataFrame,
    state: Any,
    *,
    warn: Callable[[str], object],
) -> tuple[list[Window], Playback]:
    """The frames and playback of this rerun, started once from the link *state*.

    A frame of the link that the events do not have is named with *warn*.
    """
    if PLAY not in ss:
        frames = event_windows(events, state.step)
        play, notice = start_playback(
            frames, text=state.frame, step=state.step, speed=state.speed
        )
        ss.update({PLAY: play, STEP_KEY: play.step, SPEED_KEY: play.speed})
        if notice:
            ss[NOTICE] = f"Link parameter ignored: {markdown_text(notice)}"
    if notice := ss.get(NOTICE):
        warn(notice)
    frames, play = advance(ss, events, in_main=True)
    # The whole page runs now; a timer runs only the map while playing.
    ss.update({IN_MAIN: True, RUNNING: play.playing})
    return frames, play


def _clamped(play: Playback, count: int) -> Playback:
    if play.index is None:
        return play
    if count == 0:
        return replace(play, index=None, playing=False)
    return replace(play, index=min(play.index, count - 1))


def advance(
    ss: MutableMapping[str, Any], events: pd.DataFrame, *, in_main: bool
) -> tuple[list[Window], Playback]:
    """The frames and the playback of this rerun; a timer rerun steps one frame.

    *in_main* is whether the whole page is running (then the timer did not
    fire); a rerun caused by a control does not step either.
    """
    play: Playback = ss[PLAY]
    frames = event_windows(events, play.step)
    acted = ss.pop(ACTED, False)
    if play.playing and not in_main and not acted:
        play = act(play, "tick", len(frames))
    play = _clamped(play, len(frames))
    ss.update({PLAY: play, FRAMES: frames})
    return frames, play


def _act(ss: MutableMapping[str, Any], action: str) -> None:
    ss[PLAY] = act(ss[PLAY], action, len(ss[FRAMES]))
    ss[ACTED] = True


def _step(ss: MutableMapping[str, Any]) -> None:
    ss[PLAY] = set_step(ss[PLAY], ss[FRAMES], ss[STEP_KEY])
    ss[ACTED] = True


def _speed(ss: MutableMapping[str, Any]) -> None:
    ss[PLAY] = replace(ss[PLAY], speed=float(ss[SPEED_KEY]))
    ss[ACTED] = True


def _seconds(value: float) -> str:
    return f"{value:g} s per frame"


def controls(
    ss: MutableMapping[str, Any], frames: list[Window]
) -> list[tuple[str, dict[str, Any]]]:
    """The six controls, in order: (Streamlit element name, keyword arguments).

    Each has a visible name a screen reader announces.
    """
    play: Playback = ss[PLAY]
    none = not frames

    def button(
        label: str, key: str, action: str, tip: str
    ) -> tuple[str, dict[str, Any]]:
        return (
            "button",
            {
                "label": label,
                "key": key,
                "on_click": _act,
                "args": (ss, action),
                "disabled": none,
                "help": tip,
                "width": "stretch",
            },
        )

    toggle = ("Pause", "pause") if play.playing else ("Play", "play")
    return [
        button("Previous frame", "play_back", "back", "Step back one frame"),
        button(*toggle[:1], "play_toggle", toggle[1], "Play the frames in turn"),
        button("Next frame", "play_next", "next", "Step on one frame"),
        (
            "selectbox",
            {
                "label": "Frame length",
                "options": tuple(STEPS),
                "key": STEP_KEY,
                "on_change": _step,
                "args": (ss,),
            },
        ),
        (
            "selectbox",
            {
                "label": "Speed",
                "options": SPEEDS,
                "key": SPEED_KEY,
                "format_func": _seconds,
                "on_change": _speed,
                "args": (ss,),
            },
        ),
        button("All events", "play_all", "all", "Leave playback: show every event"),
    ]


def frame_view(
    ss: MutableMapping[str, Any],
    layers: Mapping[str, gpd.GeoDataFrame],
    shown: dict[str, gpd.GeoDataFrame],
    state: Any,
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, Any] | None, dict[str, Any]]:
    """What the map draws for this rerun's frame (a timer rerun steps one).

    Returns the layers drawn, the frame for the map (None: all events) and the
    view state's playback pieces with ``playing``, to be popped by the caller.
    """
    frames, play = advance(ss, shown["events"], in_main=ss[IN_MAIN])
    pieces = {**keys(play, frames), "playing": play.playing}
    if play.index is None:
        return shown, None, pieces
    window = frames[play.index]
    drawn = frame_layers(layers, state, window)
    return drawn, frame_payload(drawn["events"], window, play.step), pieces


def keys(play: Playback, frames: list[Window]) -> dict[str, Any]:
    """The view state's playback pieces (``frame``, ``step``, ``speed``)."""
    frame = ""
    if play.index is not None and frames:
        frame = frames[min(play.index, len(frames) - 1)].text
    return {"frame": frame, "step": play.step, "speed": play.speed}


def map_frame(payload: dict[str, Any], frame: dict[str, Any] | None) -> dict[str, Any]:
    """The map's *payload* with the frame's roles and its label in the status."""
    if frame is None:
        return payload
    status = " ".join(part for part in (frame["label"], payload["status"]) if part)
    return {**payload, "frame": frame, "status": status}

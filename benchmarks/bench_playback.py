"""Time playback at scale: frames and each event's role per frame.

Prints, per catalogue size, the time to list the weekly frames and to give every
event its role in one frame (what a timer rerun adds to the map's own work).
Run: ``python -m benchmarks.bench_playback``.
"""

from __future__ import annotations

import time
from datetime import date

import numpy as np

from benchmarks.synthetic import synthetic_events
from layers.page import playback


def _best(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print the table."""
    print("| events | weekly frames | list frames (ms) | roles in one frame (ms) |")
    print("|---:|---:|---:|---:|")
    for n in (1_000, 100_000, 1_000_000):
        events = synthetic_events(n)
        rng = np.random.default_rng(0)
        events["time_precision"] = rng.choice([1, 1, 1, 2, 3], size=n)
        frames = playback.event_windows(events, "week")
        window = playback.window_of(date(2019, 12, 29), "week")
        listing = _best(lambda e=events: playback.event_windows(e, "week"))
        roles = _best(lambda e=events, w=window: playback.roles(e, w))
        print(f"| {n:,} | {len(frames)} | {listing * 1e3:.1f} | {roles * 1e3:.1f} |")


if __name__ == "__main__":
    main()

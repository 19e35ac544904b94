"""The map in headless Chromium: time to a drawn map, and to a redrawn one.

Starts the dashboard and, in the same run, a trivial page
(``st_folium(folium.Map(tiles=None))`` on the same local Leaflet), and prints:

- navigation to map drawn, for both (median of several loads);
- a filter change (the valley half-width slider, one step) to the map
  updated, with whether the view was kept (same Leaflet map, same zoom).

No assertions: numbers to compare. Run:
.venv/bin/python benchmarks/bench_browser.py [--catalogue DIR] [--loads 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from playwright.sync_api import Frame, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRIVIAL_PAGE = """
import folium
import streamlit as st
from streamlit_folium import st_folium

from layers.map.assets import LOCAL_ASSETS

st.set_page_config(layout="wide")
fmap = folium.Map(tiles=None)
fmap.default_js = [("leaflet", LOCAL_ASSETS.js)]
fmap.default_css = [("leaflet_css", LOCAL_ASSETS.css)]
st_folium(fmap, height=620, use_container_width=True, returned_objects=[])
"""
#: The project's map is drawn when its data and context layers are; the
#: trivial one when Leaflet has made its map.
PROJECT_READY = (
    "() => !!(window.StrikeMap && StrikeMap.state && StrikeMap.state.items.length)"
)
TRIVIAL_READY = "() => !!(window.map && window.map._loaded)"


#: The chip removed for a filter change (its events are on the default map).
FILTER_STEP = "Remove Shelling/artillery/missile attack"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _streamlit(script: Path, env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(script),
            "--server.headless", "true", "--server.address", "127.0.0.1",
            "--server.port", str(port), "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ],
        cwd=script.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"streamlit did not start for {script}"
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _map_frame(page: Page, ready: str, timeout: float = 600) -> Frame:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            try:
                if frame.evaluate(ready):
                    return frame
            except Exception:  # noqa: BLE001 - a frame still loading
                continue
        # Not time.sleep: Playwright takes in new frames only while it waits.
        page.wait_for_timeout(20)
    raise TimeoutError("the map was never drawn")


def _load_seconds(browser, url: str, ready: str) -> tuple[float, float]:
    """Seconds from navigation to map drawn, and from the map's frame to drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    attached: list[float] = []
    page.on(
        "framenavigated",
        lambda frame: (
            attached.append(time.perf_counter())
            if "streamlit_folium" in frame.url
            else None
        ),
    )
    start = time.perf_counter()
    page.goto(url)
    _map_frame(page, ready)
    end = time.perf_counter()
    context.close()
    return end - start, end - (attached[-1] if attached else start)


def _redraw_seconds(page: Page, frame: Frame, change) -> float:
    frame.evaluate("window.__drawn = 0")
    start = time.perf_counter()
    change()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if frame.evaluate("window.__drawn") > 0:
            break
        page.wait_for_timeout(10)
    return time.perf_counter() - start


def _filter_changes(browser, url: str, steps: int) -> dict[str, list[float]]:
    """Seconds from a widget change to the map redrawn, and whether kept.

    Each sample is a fresh page: a width change (the valley slider one step:
    the layers are rebuilt on the server), then a filter change (one event
    type removed).
    """
    out: dict[str, list[float]] = {"filter": [], "width": [], "kept": []}
    for _ in range(steps):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(url)
        frame = _map_frame(page, PROJECT_READY)
        page.wait_for_timeout(2000)  # the first report rerun
        frame.evaluate("window.__kept = true")
        zoom = frame.evaluate("window.map.getZoom()")
        # Count payloads drawn: a change is done when the next one is.
        frame.evaluate(
            "() => { const update = StrikeMap.update; window.__drawn = 0;"
            " StrikeMap.update = function (m, p) { window.__drawn += 1;"
            " return update(m, p); }; }"
        )
        slider = page.get_by_role("slider").first
        slider.focus()
        press = partial(page.keyboard.press, "ArrowRight")
        out["width"].append(_redraw_seconds(page, frame, press))
        page.wait_for_timeout(1000)
        button = page.get_by_role("button", name=FILTER_STEP)
        out["filter"].append(_redraw_seconds(page, frame, button.click))
        kept = frame.evaluate("window.__kept === true") and (
            frame.evaluate("window.map.getZoom()") == zoom
        )
        out["kept"].append(float(kept))
        context.close()
    return out


def main(argv: list[str] | None = None) -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", default=None)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k != "STRIKEMAP_CATALOGUE"}
    if args.catalogue:
        env["STRIKEMAP_CATALOGUE"] = str(Path(args.catalogue).resolve())
    env["PYTHONPATH"] = str(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial_map.py"
        trivial.write_text(TRIVIAL_PAGE)
        shutil.copytree(ROOT / ".streamlit", Path(tmp) / ".streamlit")
        # The same local Leaflet: the project's static folder, served again.
        os.symlink(ROOT / "static", Path(tmp) / "static")
        with (
            _streamlit(ROOT / "dashboard.py", env) as project,
            _streamlit(trivial, env) as plain,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
            # One warm-up each: caches, the Python imports of the first session.
            first = _load_seconds(browser, project, PROJECT_READY)
            _load_seconds(browser, plain, TRIVIAL_READY)
            ours, theirs = [], []
            for _ in range(args.loads):
                ours.append(_load_seconds(browser, project, PROJECT_READY))
                theirs.append(_load_seconds(browser, plain, TRIVIAL_READY))
            changes = _filter_changes(browser, project, args.steps)
            browser.close()
    page_ours = statistics.median(o[0] for o in ours)
    page_theirs = statistics.median(t[0] for t in theirs)
    frame_ours = statistics.median(o[1] for o in ours)
    frame_theirs = statistics.median(t[1] for t in theirs)
    rows = [
        ("navigation to map drawn: this dashboard", f"{page_ours:.2f} s"),
        ("navigation to map drawn: trivial st_folium page", f"{page_theirs:.2f} s"),
        ("ratio (page)", f"{page_ours / page_theirs:.2f}x"),
        ("map frame to map drawn: this dashboard", f"{frame_ours:.2f} s"),
        ("map frame to map drawn: trivial page", f"{frame_theirs:.2f} s"),
        ("ratio (map frame)", f"{frame_ours / frame_theirs:.2f}x"),
        ("first session after the server started: map drawn", f"{first[0]:.2f} s"),
        ("ratio first session / next sessions", f"{first[0] / page_ours:.2f}x"),
        (
            "filter change to map redrawn (median)",
            f"{statistics.median(changes['filter']):.2f} s",
        ),
        (
            "width change to map redrawn (median; layers rebuilt)",
            f"{statistics.median(changes['width']):.2f} s",
        ),
        (
            "same Leaflet map and zoom after the changes",
            f"{sum(changes['kept']):.0f}/{len(changes['kept'])} pages",
        ),
    ]
    print("| measure (Chromium, median of runs) | value |")
    print("|---|---:|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()

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


def _load_seconds(browser, url: str, ready: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    _map_frame(page, ready)
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def _filter_changes(browser, url: str, steps: int) -> list[tuple[float, bool]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    frame = _map_frame(page, PROJECT_READY)
    time.sleep(2.0)  # the first report rerun
    frame.evaluate("window.__kept = true")
    zoom = frame.evaluate("window.map.getZoom()")
    slider = page.get_by_role("slider").first
    out = []
    # Count payloads drawn: the filter change is done when the next one is.
    frame.evaluate(
        "() => { const update = StrikeMap.update; window.__drawn = 0;"
        " StrikeMap.update = function (m, p) { window.__drawn += 1;"
        " return update(m, p); }; }"
    )
    for _ in range(steps):
        frame.evaluate("window.__drawn = 0")
        slider.focus()
        start = time.perf_counter()
        page.keyboard.press("ArrowRight")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if frame.evaluate("window.__drawn") > 0:
                break
            page.wait_for_timeout(10)
        seconds = time.perf_counter() - start
        kept = frame.evaluate("window.__kept === true") and (
            frame.evaluate("window.map.getZoom()") == zoom
        )
        out.append((seconds, bool(kept)))
        time.sleep(1.0)
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
            _load_seconds(browser, project, PROJECT_READY)
            _load_seconds(browser, plain, TRIVIAL_READY)
            ours, theirs = [], []
            for _ in range(args.loads):
                ours.append(_load_seconds(browser, project, PROJECT_READY))
                theirs.append(_load_seconds(browser, plain, TRIVIAL_READY))
            changes = _filter_changes(browser, project, args.steps)
            browser.close()
    ours_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    update = statistics.median(s for s, _ in changes)
    print("| measure (Chromium, median) | seconds |")
    print("|---|---:|")
    print(f"| navigation to map drawn: this dashboard | {ours_s:.2f} |")
    print(f"| navigation to map drawn: trivial st_folium page | {theirs_s:.2f} |")
    print(f"| ratio | {ours_s / theirs_s:.2f}x |")
    print(f"| filter change to map redrawn | {update:.2f} |")
    kept = sum(k for _, k in changes)
    print(f"| view kept across filter changes | {kept}/{len(changes)} |")


if __name__ == "__main__":
    main()

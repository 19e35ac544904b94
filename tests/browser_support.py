"""What the browser tests share: Chromium, a Streamlit server, the map's frame."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Frame, Page
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import ROOT

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
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SKIP_REASON = f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
if not HAVE_CHROMIUM and os.environ.get("STRIKEMAP_REQUIRE_BROWSER"):
    raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(
    env: Mapping[str, str] | None = None, port: int | None = None
) -> Iterator[str]:
    """Run ``streamlit run dashboard.py`` on *port* (default: a free one).

    Yields its base URL once the server answers its health check; see
    :func:`warm_up`. A caller that must name the port before the server starts
    (a sign-in redirect URI) passes it.
    """
    port = free_port() if port is None else port
    environ = {k: v for k, v in os.environ.items() if k != "STRIKEMAP_CATALOGUE"}
    environ.update(env or {})
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise RuntimeError(f"streamlit did not start:\n{output}") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def map_frame(page: Page, timeout: float = 60) -> Frame:
    """The frame that holds the Leaflet map, once its vector paths are drawn."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.locator(".leaflet-overlay-pane path").count() > 0:
                    return frame
            except PlaywrightError:  # the frame was replaced by a rerun
                continue
        time.sleep(0.25)
    raise AssertionError("the map never drew any vector path")


def warm_up(browser: Browser, base: str, timeout: float = 180) -> None:
    """Load the page once and wait for its map: a readiness wait.

    The first session of a fresh server pays for the imports, reading the
    data and building every layer; on a busy machine that alone can pass a
    test's timeout. Tests start after this, on a server that is ready.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base, timeout=timeout * 1000)
        map_frame(page, timeout=timeout)
    finally:
        context.close()

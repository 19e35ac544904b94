"""Many visitors at once: N Chromium pages opening the dashboard together.

Starts one Streamlit server on the shipped catalogue (``dashboard.py``, as
``bench_browser.py`` does), waits until it answers its health check, then opens
N pages at once in one headless Chromium (one browser, one context per page,
every ``goto`` started together from one asyncio loop) and measures, for each
page, the seconds from ``goto`` to the map drawn (the same test as
``bench_browser.py``: the map frame's ``StrikeMap.state.items`` is not empty).

Each wave size runs on a fresh server, twice: the first wave right after the
server started (imports, reading the data and building the layers are paid by
it), then the same wave again on the now warm server. The one-page waves, in
the same run, are the baseline the N-page waves are compared with.

Per wave it prints the slowest, median and fastest first map, whether every
page drew its map, the errors seen (page errors, console errors, Streamlit
exception boxes), and the server process's CPU seconds (its own and its
children's, ``psutil``) from the first ``goto`` until the server is idle again,
in total and per new session; and the CPU seconds of Chromium's processes and
of Playwright's driver until the last map. ``--page trivial`` runs the same
waves against ``bench_browser.py``'s trivial ``st_folium`` page instead.

No assertions: numbers to compare. Run:
.venv/bin/python benchmarks/bench_visitors.py [--visitors 20] [--timeout 300]
    [--page dashboard|trivial]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PROJECT_READY,
    TRIVIAL_PAGE,
    TRIVIAL_READY,
    _streamlit,
)
from layers.map.assets import install_static_assets  # noqa: E402

#: Seconds between two looks at a page's frames (20 pages poll at once).
POLL_S = 0.1
#: The server is idle again when it used less than this CPU in one interval.
IDLE_CPU_S = 0.05
IDLE_INTERVAL_S = 1.0


@dataclass
class Visit:
    """One page: seconds to its map, and what went wrong on it."""

    seconds: float | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class Wave:
    """N pages opened together, and the server's CPU while they loaded."""

    label: str
    visits: list[Visit]
    wall_s: float
    server_cpu_s: float
    chromium_cpu_s: float
    driver_cpu_s: float
    load: tuple[float, float]


def _cpu_seconds(process: psutil.Process, *, name: str | None = None) -> float:
    """User and system CPU seconds of *process* and its live children.

    With *name*, only the processes whose name holds it (``chromium``,
    ``node``: Playwright's driver).
    """
    total = 0.0
    for proc in [process, *process.children(recursive=True)]:
        try:
            if name is not None and name not in proc.name():
                continue
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _server_process(port: int) -> psutil.Process:
    """The ``streamlit run`` child of this process serving *port*."""
    for child in psutil.Process().children(recursive=True):
        try:
            cmdline = child.cmdline()
        except psutil.NoSuchProcess:
            continue
        if "streamlit" in cmdline and str(port) in cmdline:
            return child
    raise RuntimeError(f"no streamlit process for port {port}")


async def _drawn(page: Page, *, ready: str, timeout: float) -> bool:
    """Wait until the page's map frame says *ready* (a JS function) is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            try:
                if await frame.evaluate(ready):
                    return True
            except Exception:  # noqa: BLE001 - a frame still loading or replaced
                continue
        await asyncio.sleep(POLL_S)
    return False


async def _visit(
    context: BrowserContext,
    url: str,
    start: asyncio.Event,
    *,
    ready: str,
    timeout: float,
) -> Visit:
    """Open *url* in *context* once *start* is set; time to map drawn.

    The caller closes *context* (its renderer's CPU is counted before).
    """
    visit = Visit()
    page = await context.new_page()
    page.on("pageerror", lambda exc: visit.errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            visit.errors.append(f"console: {msg.text}") if msg.type == "error" else None
        ),
    )
    await start.wait()
    began = time.perf_counter()
    try:
        await page.goto(url, timeout=timeout * 1000)
        left = timeout - (time.perf_counter() - began)
        if await _drawn(page, ready=ready, timeout=left):
            visit.seconds = time.perf_counter() - began
        else:
            visit.errors.append(f"map not drawn within {timeout:.0f} s")
    except Exception as exc:  # noqa: BLE001 - a timeout, a crash: recorded
        visit.errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
    boxes = await page.locator('[data-testid="stException"]').count()
    visit.errors.extend(["Streamlit exception box"] * boxes)
    return visit


async def _until_idle(process: psutil.Process, *, limit: float = 60) -> None:
    """Return once *process* used under ``IDLE_CPU_S`` in one interval."""
    deadline = time.monotonic() + limit
    before = _cpu_seconds(process)
    while time.monotonic() < deadline:
        await asyncio.sleep(IDLE_INTERVAL_S)
        now = _cpu_seconds(process)
        if now - before < IDLE_CPU_S:
            return
        before = now


async def _wave(
    browser: Browser,
    url: str,
    server: psutil.Process,
    *,
    pages: int,
    label: str,
    ready: str = PROJECT_READY,
    timeout: float,
) -> Wave:
    """Open *pages* pages together; their visits and the CPU they cost."""
    start = asyncio.Event()
    size = {"width": 1400, "height": 1000}
    contexts = [await browser.new_context(viewport=size) for _ in range(pages)]
    tasks = [
        asyncio.create_task(_visit(context, url, start, ready=ready, timeout=timeout))
        for context in contexts
    ]
    await asyncio.sleep(1.0)  # every page made and waiting
    here = psutil.Process()
    server_before = _cpu_seconds(server)
    chromium_before = _cpu_seconds(here, name="chromium")
    driver_before = _cpu_seconds(here, name="node")
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    start.set()
    visits = await asyncio.gather(*tasks)
    wall = time.perf_counter() - began
    # Counted before the contexts close: a closed renderer's CPU is gone.
    chromium_cpu = _cpu_seconds(here, name="chromium") - chromium_before
    driver_cpu = _cpu_seconds(here, name="node") - driver_before
    for context in contexts:
        await context.close()
    await _until_idle(server)
    server_cpu = _cpu_seconds(server) - server_before
    return Wave(
        label,
        list(visits),
        wall,
        server_cpu,
        chromium_cpu,
        driver_cpu,
        (load_before, os.getloadavg()[0]),
    )


async def _measure(sizes: list[int], *, script: Path, ready: str, timeout: float):
    """Each wave size on a fresh server: the first wave, then the next."""
    env = {k: v for k, v in os.environ.items() if k != "STRIKEMAP_CATALOGUE"}
    env["PYTHONPATH"] = str(ROOT)
    waves = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for size in sizes:
            with _streamlit(script, env) as base:
                server = _server_process(int(base.rsplit(":", 1)[1]))
                for when in ("fresh server", "next wave"):
                    label = f"{size} page{'s' * (size > 1)}, {when}"
                    waves.append(
                        await _wave(
                            browser,
                            base,
                            server,
                            pages=size,
                            label=label,
                            ready=ready,
                            timeout=timeout,
                        )
                    )
        await browser.close()
    return waves


def _row(wave: Wave) -> str:
    times = [v.seconds for v in wave.visits if v.seconds is not None]
    errors = sum(len(v.errors) for v in wave.visits)
    cells = [
        wave.label,
        f"{max(times):.1f} s" if times else "-",
        f"{statistics.median(times):.1f} s" if times else "-",
        f"{min(times):.1f} s" if times else "-",
        "yes" if len(times) == len(wave.visits) else f"no ({len(times)})",
        str(errors),
        f"{wave.server_cpu_s:.1f} s",
        f"{wave.server_cpu_s / len(wave.visits):.2f} s",
        f"{wave.chromium_cpu_s:.1f} s",
        f"{wave.driver_cpu_s:.1f} s",
        f"{wave.load[0]:.1f} -> {wave.load[1]:.1f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds per page to its map"
    )
    parser.add_argument(
        "--page",
        choices=["dashboard", "trivial"],
        default="dashboard",
        help="the dashboard, or bench_browser.py's trivial st_folium page",
    )
    args = parser.parse_args(argv)
    sizes = [1, args.visitors]
    with tempfile.TemporaryDirectory() as tmp:
        if args.page == "dashboard":
            script, ready = ROOT / "dashboard.py", PROJECT_READY
        else:  # as bench_browser.py: the same local Leaflet, served again
            script, ready = Path(tmp) / "trivial_map.py", TRIVIAL_READY
            script.write_text(TRIVIAL_PAGE)
            install_static_assets(ROOT / "static")  # the dashboard's first run does
            shutil.copytree(ROOT / ".streamlit", Path(tmp) / ".streamlit")
            os.symlink(ROOT / "static", Path(tmp) / "static")
        waves = asyncio.run(
            _measure(sizes, script=script, ready=ready, timeout=args.timeout)
        )
    print(
        f"| wave ({args.page}) | slowest first map | median | fastest | all drawn"
        " | errors | server CPU | per session | Chromium CPU | driver CPU"
        " | load (1 min) |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|")
    for wave in waves:
        print(_row(wave))
    one, many = waves[0], waves[2]
    slow_one = max((v.seconds or 0.0) for v in one.visits)
    slow_many = max((v.seconds or 0.0) for v in many.visits)
    if slow_one:
        print(
            f"\nslowest first map, {args.visitors} pages / 1 page (fresh servers):"
            f" {slow_many / slow_one:.2f}x"
        )
    messages = sorted({e[:160] for w in waves for v in w.visits for e in v.errors})
    for message in messages:
        print(f"- {message}")


if __name__ == "__main__":
    main()

"""Start-up: from launching the process to a painted main window showing the demo data,
next to a bare PySide6 window showing a label (the issue's budget: at most 4x the bare window).

The workstation side starts on a seat data directory seeded with the demo week
(``db seed-demo``), so "my tickets today" has rows to paint.  Each side is measured as the wall time from spawning the process to the child's report that
its window has painted (both use the same wall clock).  Runs alternate between the two sides (so both see the same machine load); median of N
runs after one warm-up each, and the median of the paired ratios.

    .venv/bin/python benchmarks/bench_startup.py [--runs 7]

Each child also reports the CPU time it used up to the paint; its ratio is printed as a check
that does not depend on what else runs on the machine (wall times on a loaded 2-core machine
vary by a factor of two or more from run to run).

The app runs as the checkout has it: the benchmark compiles nothing and skips nothing.  It
says how many of ``agent_app``'s modules have current bytecode.  An installed seat (``pip
install``), the PyInstaller bundle and a checkout after ``make install`` run bytecode; a
checkout without ``__pycache__`` under ``PYTHONDONTWRITEBYTECODE=1`` (as on the development
machines) compiles every module from source on every start, about 100 ms of CPU more.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BARE = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel("12345 坐席工作台")
label.resize(400, 100)
label.show()
def painted():
    label.repaint()
    print(f"PAINTED {time.time():.6f} {time.process_time():.6f}", flush=True)
    app.quit()
QTimer.singleShot(0, painted)
app.exec()
"""


def bytecode_state() -> tuple[int, int]:
    """(modules of ``agent_app`` whose bytecode is current, modules): current means a .pyc
    where Python looks for it, stamped with the source's mtime and size (what ``compileall``
    and ``pip install`` write), so the import runs it instead of compiling the source."""
    sources = sorted((REPO / "agent_app").rglob("*.py"))
    current = 0
    for source in sources:
        try:
            head = Path(importlib.util.cache_from_source(str(source))).read_bytes()[:16]
        except OSError:
            continue
        stat = source.stat()
        if (
            head[:4] == importlib.util.MAGIC_NUMBER
            and int.from_bytes(head[4:8], "little") == 0  # timestamp-based
            and int.from_bytes(head[8:12], "little") == int(stat.st_mtime) & 0xFFFFFFFF
            and int.from_bytes(head[12:16], "little") == stat.st_size & 0xFFFFFFFF
        ):
            current += 1
    return current, len(sources)


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time to the painted window, and the CPU time the child had used by then."""
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, check=True).stdout
    for line in out.splitlines():
        if line.startswith("PAINTED "):
            fields = line.split()
            return float(fields[1]) - start, float(fields[2])
    raise RuntimeError(f"no PAINTED line from {cmd}: {out!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as tmp:
        if not env.get("AGENT_APP_DB_KEY_FILE"):
            # the seat database is encrypted; without an OS keyring the key comes from a file
            key_file = Path(tmp) / "seat.key"
            key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
            key_file.chmod(0o600)
            env["AGENT_APP_DB_KEY_FILE"] = str(key_file)
        demo = Path(tmp) / "demo"
        subprocess.run(
            [sys.executable, "-m", "agent_app", "db", "seed-demo", "--data-dir", str(demo)],
            check=True,
            cwd=REPO,
            env=env,
            capture_output=True,
        )
        # a seat whose database holds the seeded week (no central configured: no network)
        app_cmd = [
            sys.executable,
            "-m",
            "agent_app",
            "--data-dir",
            str(demo),
            "--role",
            "operator",
            "--exit-when-painted",
        ]
        bare_cmd = [sys.executable, "-c", BARE]
        measure(bare_cmd, env)
        measure(app_cmd, env)
        runs: dict[str, list[tuple[float, float]]] = {"bare": [], "app": []}
        for _ in range(args.runs):  # interleaved: both sides see the same machine load
            runs["bare"].append(measure(bare_cmd, env))
            runs["app"].append(measure(app_cmd, env))
    compiled, modules = bytecode_state()
    bare = [wall for wall, _cpu in runs["bare"]]
    app = [wall for wall, _cpu in runs["app"]]
    b, a = statistics.median(bare), statistics.median(app)
    paired = statistics.median(x / y for x, y in zip(app, bare, strict=True))
    print(
        f"bare PySide6 window with a label: median {b * 1000:.0f} ms (min {min(bare) * 1000:.0f})"
    )
    print(f"workstation with demo data:       median {a * 1000:.0f} ms (min {min(app) * 1000:.0f})")
    print(f"ratio of medians: {a / b:.2f}x; median of paired ratios: {paired:.2f}x (budget 4x)")
    # CPU time used by the child up to the paint: far less sensitive to other jobs on the
    # machine than wall time (which is what the budget is about), so a check under load.
    bc = statistics.median(cpu for _wall, cpu in runs["bare"])
    ac = statistics.median(cpu for _wall, cpu in runs["app"])
    print(
        f"CPU time to the paint: bare {bc * 1000:.0f} ms, workstation {ac * 1000:.0f} ms, "
        f"ratio {ac / bc:.2f}x; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"bytecode: {compiled} of {modules} agent_app modules compiled and current", end="")
    if compiled < modules:
        print(
            f"; {modules - compiled} compiled from source at every start (an installed seat "
            "runs bytecode: `.venv/bin/python -m compileall -q agent_app`, as `make install` does)"
        )
    else:
        print(" (as an installed seat and the PyInstaller bundle run)")


if __name__ == "__main__":
    main()

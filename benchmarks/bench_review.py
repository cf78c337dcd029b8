"""The lead's review queue over a seeded centre: first page, filter + sort, next page (p95).

Seed a centre first (an empty database, migrated), e.g. for 1,000,000 tickets::

    createdb -h 127.0.0.1 -U postgres bench_1m
    .venv/bin/agent-app central upgrade --url postgresql://postgres@127.0.0.1:5432/bench_1m
    .venv/bin/agent-app central seed --url postgresql://postgres@127.0.0.1:5432/bench_1m \\
        --tickets 1000000 --months 12 --seed 1 --until 2026-12-06T13:00+08:00

then::

    .venv/bin/python benchmarks/bench_review.py \\
        --admin-url postgresql://postgres@127.0.0.1:5432/bench_1m [--filters 50] [--json] \\
        [--explain docs/review_plans_1m.md]

A lead login (``bench_lead``) is created when missing; every query runs as that login, under
the centre's row-level security, through :mod:`agent_app.services.review`:

* ``first``: the queue as it opens (no filter, newest first), with its total;
* ``filtered``: ``--filters`` random filters (1-3 criteria drawn from the data: status,
  district, township, unit, operator, seat, category, dates, overdue, due soon, dissatisfied,
  re-handled, confidential, QA) with a random sort, first page with its total;
* ``next``: the page after each filtered first page (keyset cursor), with its total;
* ``cli``: the same first pages through ``review_list`` (connect, check the login, read),
  what ``agent-app review list`` runs.

``--window`` measures the same three through the lead's desk as well (``window_first``,
``window_filtered``, ``window_next``): an offscreen QApplication, the desk's
:class:`~agent_app.ui.lead_desk.presenters.ReviewPresenter` over its centre source
(:class:`~agent_app.services.lead_desk.CentralReview` on a
:class:`~agent_app.storage.central.link.CentralLink`, the lead's kept connections checked
once, as the desk's ``central_sources`` builds it) and the queue's
:class:`~agent_app.ui.lead_desk.views.ReviewView`
with its table model, on the app's :class:`~agent_app.workers.tasks.TaskRunner`.  Each time
runs from the request (``set_filter``, ``refresh`` or ``more``) to the model holding the page:
the worker's read, its result back on the GUI thread, the presenter's new state and the model
updated.  ``--window-page`` is the desk's page size (default: the desk's, 100 rows);
``window_connections`` is how many connections the desk opened for all of them (1).

Budgets (p95): first page <= 150 ms, filter + sort <= 300 ms, next page <= 150 ms.  Exit 1
when one is missed.  ``--explain FILE`` writes EXPLAIN (ANALYZE, BUFFERS) of representative
queries to a Markdown file.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_app.services import review
from agent_app.storage.central import schema
from agent_app.storage.central.connect import connect, parse_url

BUDGETS_MS = {"first": 150.0, "filtered": 300.0, "next": 150.0}
LEAD = "bench_lead"


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(_p(values, 0.95), 1),
        "max_ms": round(max(values), 1),
    }


def _values(admin: Any) -> dict[str, list[Any]]:
    """Values to filter on, drawn from the data (weighted by how often they occur)."""

    def col(sql: str) -> list[Any]:
        return [r[0] for r in admin.execute(sql).fetchall() if r[0]]

    sample = "FROM central.tickets TABLESAMPLE SYSTEM (2) REPEATABLE (7)"
    return {
        "status": col(f"SELECT status {sample}"),
        "district": col(f"SELECT data #>> '{{place,district}}' {sample}"),
        "township": col(f"SELECT data #>> '{{place,township}}' {sample}"),
        "unit": col(f"SELECT main_unit {sample}"),
        "operator": col(f"SELECT operator_id {sample}"),
        "seat": col(f"SELECT seat {sample}"),
        "category": col(f"SELECT data ->> 'category_code' {sample}"),
        "range": [
            admin.execute("SELECT min(created_at), max(created_at) FROM central.tickets").fetchone()
        ],
    }


def random_filter(rng: random.Random, values: dict[str, list[Any]]) -> review.ReviewFilter:
    kinds = [
        "status",
        "district",
        "township",
        "unit",
        "operator",
        "seat",
        "category",
        "dates",
        "overdue",
        "due_soon",
        "dissatisfied",
        "rehandled",
        "confidential",
        "qa",
    ]
    chosen = rng.sample(kinds, rng.randint(1, 3))
    if "overdue" in chosen and "due_soon" in chosen:
        chosen.remove("due_soon")
    args: dict[str, Any] = {"sort": rng.choice(review.SORTS)}
    for kind in chosen:
        if kind == "status":
            args["status"] = (rng.choice(values["status"]),)
        elif kind in ("district", "township", "unit", "operator", "seat", "category"):
            args[kind] = rng.choice(values[kind])
        elif kind == "dates":
            lo, hi = values["range"][0]
            start = lo + (hi - lo) * rng.random()
            args["created_from"] = start
            args["created_to"] = start + timedelta(days=rng.choice((1, 7, 30)))
        elif kind == "overdue":
            args["overdue"] = True
        elif kind == "due_soon":
            args["due_within_hours"] = rng.choice((4.0, 24.0, 72.0))
        elif kind == "qa":
            args["qa"] = rng.choice(review.QA_STATES)
        else:
            args[kind] = True
    return review.ReviewFilter(**args)


def describe(flt: review.ReviewFilter) -> str:
    parts = []
    for key, value in flt.__dict__.items():
        if key == "sort" or value in (None, "", (), False):
            continue
        parts.append(f"{key}={value if not isinstance(value, datetime) else value.date()}")
    return ", ".join(parts) + f" (sort {flt.sort})"


def explain(conn: Any, out: Path, now: datetime, size: int) -> None:
    cases = [
        ("The queue as it opens (newest first)", review.ReviewFilter()),
        ("One district", review.ReviewFilter(district="朝阳区")),
        ("A status", review.ReviewFilter(status=("REOPENED",))),
        ("Overdue, by due time", review.ReviewFilter(overdue=True, sort="due")),
        ("Dissatisfied in a district", review.ReviewFilter(dissatisfied=True, district="海淀区")),
        ("QA failed", review.ReviewFilter(qa="failed")),
    ]
    lines = [
        f"# Review queue: query plans at {size:,} tickets",
        "",
        "Generated by `benchmarks/bench_review.py --explain` (EXPLAIN (ANALYZE, BUFFERS) as the "
        "lead login, row-level security on, with the settings of the queue's transaction: no "
        "JIT, work_mem 32 MB). Each case shows the page query, then the count.",
        "",
    ]
    for title, flt in cases:
        lines += [f"## {title}", ""]
        for what, (sql, params) in (
            ("page", review.page_sql(flt, now, 50, None)),
            ("count", review.count_sql(flt, now)),
        ):
            with conn.transaction():  # the settings review_page() runs with
                conn.execute(
                    "SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true)"
                )
                plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).fetchall()
            lines += [f"{what}:", "", "```", *(r[0] for r in plan), "```", ""]
    out.write_text("\n".join(lines), encoding="utf-8")


def window_times(
    lead: Any,
    filters: list[review.ReviewFilter],
    page: int = 0,
    connections: list[int] | None = None,
) -> dict[str, list[float]]:
    """First page, filter + sort and next page through the desk's presenter and model (ms)."""
    import os  # noqa: PLC0415 - the window's path only

    connections = connections if connections is not None else []

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from agent_app.services.lead_desk import CentralReview  # noqa: PLC0415
    from agent_app.storage.central.link import CentralLink  # noqa: PLC0415
    from agent_app.ui.lead_desk.presenters import PAGE, ReviewPresenter  # noqa: PLC0415
    from agent_app.ui.lead_desk.views import ReviewView  # noqa: PLC0415
    from agent_app.workers.tasks import TaskRunner  # noqa: PLC0415

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    link = CentralLink(lead, password_lookup=lambda _key: None, check=review.whoami)
    source = CentralReview(lead, link=link)  # as the desk's central_sources builds it
    presenter = ReviewPresenter(runner, source, page=page or PAGE)
    view = ReviewView(presenter)  # the queue's table model, fed by the presenter's changes
    view.resize(1200, 700)
    presenter.setParent(view)
    loop = QEventLoop()
    timeout = QTimer(singleShot=True, interval=30_000)
    timeout.timeout.connect(loop.quit)
    failures: list[str] = []

    def held() -> bool:
        """The presenter has the answer and the model holds its rows."""
        st = presenter.state
        shown = [view.model.row_at(i) for i in range(view.model.rowCount())]
        return not st.loading and shown == list(st.rows)

    def check(*_args: object) -> None:
        if held():
            loop.quit()

    presenter.changed.connect(check)

    def timed(request: Any) -> float:
        t0 = time.perf_counter()
        request()
        if not held():
            timeout.start()
            loop.exec()
            timeout.stop()
        ms = (time.perf_counter() - t0) * 1000
        if presenter.state.error or not held():
            failures.append(presenter.state.error or "timed out")
        return ms

    out: dict[str, list[float]] = {"window_first": [], "window_filtered": [], "window_next": []}
    timed(presenter.refresh)  # warm: the first connection, the imports
    for _ in filters:
        out["window_first"].append(timed(lambda: presenter.set_filter(review.ReviewFilter())))
    for flt in filters:
        out["window_filtered"].append(timed(lambda f=flt: presenter.set_filter(f)))
        if presenter.state.next is not None:
            out["window_next"].append(timed(presenter.more))
    runner.wait_idle()
    link.close()  # the desk's shutdown
    connections.append(link.opened)
    view.deleteLater()
    app.processEvents()
    if failures:
        raise SystemExit(f"the desk's reads failed: {failures[0]} ({len(failures)} times)")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", required=True, help="administrator URL of the centre")
    parser.add_argument("--filters", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--explain", type=Path, help="write query plans to this Markdown file")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--window",
        action="store_true",
        help="also measure through the lead desk's review presenter and table model",
    )
    parser.add_argument(
        "--window-page", type=int, default=0, help="the desk's page size (default: the desk's)"
    )
    args = parser.parse_args()
    admin_target = parse_url(args.admin_url)
    with connect(admin_target, password_lookup=None) as admin:
        exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (LEAD,)).fetchone()
        (size,) = admin.execute("SELECT count(*) FROM central.tickets").fetchone() or (0,)
        values = _values(admin)
    if not exists:
        schema.create_login_role(admin_target, LEAD, "lead", password_lookup=None)
    lead = parse_url(args.admin_url.replace(f"{admin_target.user}@", f"{LEAD}@", 1))
    rng = random.Random(args.seed)
    filters = [random_filter(rng, values) for _ in range(args.filters)]
    now = datetime.now().astimezone()
    times: dict[str, list[float]] = {k: [] for k in ("first", "filtered", "next", "cli")}
    parts: dict[str, list[float]] = {"page": [], "count": []}
    slow: list[tuple[float, str]] = []
    with review.open_review(lead, password_lookup=None) as conn:
        review.review_page(conn, review.ReviewFilter(), limit=args.limit, now=now)  # warm
        for _ in range(args.filters):
            t0 = time.perf_counter()
            review.review_page(conn, review.ReviewFilter(), limit=args.limit, now=now)
            times["first"].append((time.perf_counter() - t0) * 1000)
        for flt in filters:
            t0 = time.perf_counter()
            page = review.review_page(conn, flt, limit=args.limit, now=now)
            ms = (time.perf_counter() - t0) * 1000
            times["filtered"].append(ms)
            parts["page"].append(page.timings["page"] * 1000)
            parts["count"].append(page.timings["count"] * 1000)
            slow.append((ms, f"{describe(flt)}: total {page.total}"))
            if page.next:
                t0 = time.perf_counter()
                review.review_page(conn, flt, limit=args.limit, after=page.next, now=now)
                ms = (time.perf_counter() - t0) * 1000
                times["next"].append(ms)
                slow.append((ms, f"next page of {describe(flt)}"))
        if args.explain:
            explain(conn, args.explain, now, size)
    for flt in filters[: min(20, len(filters))]:
        t0 = time.perf_counter()
        review.review_list(lead, flt, limit=args.limit, now=now, password_lookup=None)
        times["cli"].append((time.perf_counter() - t0) * 1000)
    opened: list[int] = []
    if args.window:
        times.update(window_times(lead, filters, args.window_page, opened))
    result: dict[str, Any] = {
        "tickets": size,
        **{k: _summary(v) for k, v in times.items() if v},
        **({"window_connections": opened[0]} if opened else {}),
        "filtered_page_part": _summary(parts["page"]),
        "filtered_count_part": _summary(parts["count"]),
        "slowest": [f"{ms:.0f} ms {what}" for ms, what in sorted(slow, reverse=True)[:5]],
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    missed = []
    for key, budget in BUDGETS_MS.items():
        for name in (key, f"window_{key}"):
            if times.get(name) and _p(times[name], 0.95) > budget:
                missed.append(name)
    if missed:
        print(f"over budget (p95): {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

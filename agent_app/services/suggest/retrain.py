"""Retraining the category model from the seat's own finished tickets (Qt-free).

The schedule hook for the GUI is :func:`retrain_from_db` (train now) and :func:`retrain_if_due`
(train when the current model is older than ``every``).  Both take the seat's
:class:`~agent_app.paths.DataPaths`, block for as long as training takes (seconds for thousands
of tickets, about a minute for 100,000; see ``docs/suggest.md``) and return a
:class:`TrainReport`, so the window runs them through its task runner, never on the GUI
thread::

    runner.run_query(lambda: retrain_from_db(ws.paths), on_done, on_error)

and afterwards rebuilds its :class:`~agent_app.services.intake.IntakeService` (also off the GUI
thread) when ``report.trained`` so that the form uses the new version.  ``agent-app suggest train
--from-db`` does the same from the command line.

What is learned: every ticket in a finished state (:data:`FINISHED_STATUSES`, i.e. its category
stood through handling) with a category code that the current catalogue still has; the text is
the description and the notes joined by a newline, exactly what the form passes to the
suggester (:func:`ticket_text`).  Demo tickets are left out except in a demo data dir.  The
catalogue's names and keywords of every category are added as pseudo-documents (priors), so
the model can propose a category no ticket of this seat has had yet.  With fewer than
:data:`MIN_TICKETS` such tickets nothing is trained and the form keeps the current model, or
the catalogue cold start when there is none.  A new model is a new version directory under
``<data dir>/models/category/`` made current atomically (:mod:`.versions`); the last few are
kept.  Nothing about a ticket's text is logged, only counts.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_app.domain.lifecycle import Status
from agent_app.errors import StorageError
from agent_app.services.suggest import versions
from agent_app.services.suggest.coldstart import CatalogueRecord, ColdStartSuggester

if TYPE_CHECKING:
    from agent_app.paths import DataPaths
    from agent_app.services.suggest.model import TrainConfig

log = logging.getLogger("agent_app.suggest")

MODEL_KIND = "category"
FINISHED_STATUSES: tuple[Status, ...] = (Status.ANSWERED, Status.CLOSED)
"""Answered directly by the operator, or closed after handling: the category is settled.
Open tickets can still be re-categorised (dispatch dispute, review) and are not learned from."""
MIN_TICKETS = 200
"""Fewer finished, categorised tickets than this: no training (a judgement, not a measurement:
below a few per category a model mostly repeats the catalogue priors)."""
MAX_TICKETS = 200_000
"""The newest this many tickets are used (training time stays in minutes on 2 cores)."""
DEFAULT_EVERY = timedelta(days=7)
MAX_FEATURES = 50_000
"""Feature cap of a seat model: it ranks all catalogue leaves (about 500), and the size of a
ComplementNB model is leaves × features (50,000 → about 100 MB; no accuracy lost on the
development set at 20,000 or 50,000, see ``docs/suggest.md``)."""
HOLD_BACK_EVERY = 5
"""Every fifth ticket is held back to calibrate the chips' abstention (one more training on
the other four fifths: retraining takes about 1.8 times as long)."""
CALIBRATION_FILE = "calibration.json"
"""Beside the model: the chips' thresholds and held-back precision (same format as
``knowledge_base/suggest/category_abstention.json``)."""
TICKET_COLUMNS = ("description", "notes", "category_code", "status", "is_demo", "created_at")
"""The ``tickets`` columns read (checked against the ORM model by a test)."""

_busy = threading.Lock()


@dataclass(frozen=True)
class TrainReport:
    """What a retraining run did; counts only, no ticket content."""

    trained: bool
    reason: str
    """``trained``, ``too_few_tickets``, ``not_due`` or ``busy`` (another run in progress)."""
    tickets: int = 0
    """Finished tickets with a category of the current catalogue that were learned from."""
    labels: int = 0
    """Distinct categories among those tickets."""
    skipped_unknown: int = 0
    """Finished tickets whose category code is not in the catalogue (any more)."""
    version: str | None = None
    """The version written by this run, when it trained."""
    model_dir: Path | None = None
    """The model the form uses after this run (None: the catalogue cold start)."""
    seconds: float = 0.0
    needed: int = MIN_TICKETS
    """The number of tickets this run required before training."""

    def summary(self) -> str:
        """One line for the log or the status bar (English; the UI translates the reason)."""
        if self.trained:
            return (
                f"category model {self.version}: {self.tickets} tickets, {self.labels} "
                f"categories, {self.seconds:.1f} s"
            )
        if self.reason == "too_few_tickets":
            using = self.model_dir.name if self.model_dir else "the catalogue cold start"
            return (
                f"not retrained: {self.tickets} finished categorised tickets, need "
                f"{self.needed}; using {using}"
            )
        return f"not retrained: {self.reason}"


def ticket_text(description: str, notes: str) -> str:
    """The suggester's input for a ticket: what the form sends (description, newline, notes)."""
    return f"{description or ''}\n{notes or ''}".strip()


def model_root(paths: DataPaths) -> Path:
    return paths.models / MODEL_KIND


def read_finished_tickets(
    database: Path, *, include_demo: bool = False, limit: int = MAX_TICKETS
) -> list[tuple[str, str]]:
    """``(text, category_code)`` of the finished, categorised tickets, newest first."""
    if not database.is_file():
        return []
    marks = ", ".join("?" for _ in FINISHED_STATUSES)
    sql = (
        "SELECT description, notes, category_code FROM tickets "
        f"WHERE status IN ({marks}) AND category_code != ''"
        + ("" if include_demo else " AND is_demo = 0")
        + " ORDER BY created_at DESC LIMIT ?"
    )
    params: list[object] = [s.value for s in FINISHED_STATUSES] + [int(limit)]
    from agent_app.storage import cipher  # noqa: PLC0415

    try:
        conn = cipher.connect(database, readonly=True, timeout=10)
        try:
            rows = conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except cipher.dbapi().Error as exc:
        raise StorageError(
            f"Cannot read the tickets of {database} for training ({type(exc).__name__}); "
            "run 'agent-app db check' and 'agent-app db upgrade'."
        ) from exc
    out = []
    for description, notes, code in rows:
        text = ticket_text(description, notes)
        if text:
            out.append((text, str(code).strip()))
    return out


def catalogue_records() -> list[CatalogueRecord]:
    """The shipped catalogue as cold-start records (the same the form's cold start uses)."""
    from agent_app.services.catalogue import Catalogue  # noqa: PLC0415 - loads CSV files

    return [
        CatalogueRecord(c.code, (c.level1, c.level2, c.level3), c.keywords)
        for c in Catalogue.load().categories
    ]


def retrain_from_db(
    paths: DataPaths,
    *,
    catalogue: Sequence[CatalogueRecord] | None = None,
    min_tickets: int = MIN_TICKETS,
    keep: int = versions.KEEP_VERSIONS,
    config: TrainConfig | None = None,
    now: datetime | None = None,
) -> TrainReport:
    """Train a new category model version from the seat database, if there is enough to learn.

    Blocking (run it in a worker); thread-safe: a second call while one runs returns at once
    with ``reason == "busy"``.  Raises :class:`~agent_app.errors.KnownError` subclasses when
    the database cannot be read or the model cannot be written (the current model then stays).
    """
    if not _busy.acquire(blocking=False):
        return TrainReport(False, "busy", model_dir=versions.current_model_dir(model_root(paths)))
    try:
        return _retrain(paths, catalogue, min_tickets, keep, config, now)
    finally:
        _busy.release()


def _retrain(
    paths: DataPaths,
    catalogue: Sequence[CatalogueRecord] | None,
    min_tickets: int,
    keep: int,
    config: TrainConfig | None,
    now: datetime | None,
) -> TrainReport:
    started = time.perf_counter()
    root = model_root(paths)
    records = list(catalogue) if catalogue is not None else catalogue_records()
    known = {r.code for r in records}
    rows = read_finished_tickets(paths.database, include_demo=paths.is_demo)
    usable = [(text, code) for text, code in rows if code in known]
    skipped = len(rows) - len(usable)
    labels = {code for _, code in usable}
    if len(usable) < max(1, min_tickets) or len(labels) < 2:
        report = TrainReport(
            False,
            "too_few_tickets",
            tickets=len(usable),
            labels=len(labels),
            skipped_unknown=skipped,
            model_dir=versions.current_model_dir(root),
            seconds=time.perf_counter() - started,
            needed=min_tickets,
        )
        log.info("%s", report.summary())
        return report

    from agent_app.services.suggest.features import FeatureConfig  # noqa: PLC0415
    from agent_app.services.suggest.model import (  # noqa: PLC0415 - heavy
        TrainConfig,
        train_from_records,
    )

    config = config or TrainConfig(features=FeatureConfig(max_features=MAX_FEATURES))
    priors = ColdStartSuggester(records).priors()
    texts = [text for text, _ in usable]
    codes = [code for _, code in usable]

    def write(directory: Path) -> None:
        calibration = held_back_calibration(texts, codes, priors, config)
        model = train_from_records(
            texts,
            codes,
            directory,
            priors=priors,
            config=config,
            extra_meta={
                "source": "seat_db",
                "finished_statuses": [s.value for s in FINISHED_STATUSES],
                "text": "description + newline + notes",
                "skipped_unknown_codes": skipped,
            },
        )
        calibration["scorers"]["model"]["labels"] = len(model.labels)
        (directory / CALIBRATION_FILE).write_text(
            json.dumps(calibration, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )

    final = versions.publish(root, write, now=now, keep=keep)
    report = TrainReport(
        True,
        "trained",
        tickets=len(usable),
        labels=len(labels),
        skipped_unknown=skipped,
        version=final.name,
        model_dir=final,
        seconds=time.perf_counter() - started,
        needed=min_tickets,
    )
    log.info("%s", report.summary())
    return report


def held_back_calibration(
    texts: Sequence[str],
    codes: Sequence[str],
    priors: Sequence[tuple[str, str]],
    config: TrainConfig,
) -> dict[str, Any]:
    """The chips' abstention for a model trained on these tickets, measured on tickets it did
    not learn from: every :data:`HOLD_BACK_EVERY`-th ticket is held back and a model is trained
    on the others; the thresholds are chosen on half of the held-back tickets
    (:func:`~.calibration.confident_threshold`, :func:`~.calibration.unsure_threshold`) and
    each display's precision is measured on the other half.  The shipped model is then trained
    on all tickets (a little surer than the one measured).  Returns the calibration file's
    content (``labels`` to be set to the final model's)."""
    from agent_app.services.suggest.calibration import (  # noqa: PLC0415
        confident_threshold,
        measure_bands,
        unsure_threshold,
    )
    from agent_app.services.suggest.model import train_from_records  # noqa: PLC0415 - heavy

    held = set(range(HOLD_BACK_EVERY - 1, len(texts), HOLD_BACK_EVERY))
    train = [i for i in range(len(texts)) if i not in held]
    model = train_from_records(
        [texts[i] for i in train], [codes[i] for i in train], priors=priors, config=config
    )
    back = sorted(held)
    rankings = model.predict([texts[i] for i in back], top=3)
    top1 = [r[0][1] if r else 0.0 for r in rankings]
    first = [bool(r) and r[0][0] == codes[i] for r, i in zip(rankings, back, strict=True)]
    shown = [codes[i] in {lab for lab, _ in r} for r, i in zip(rankings, back, strict=True)]
    a, b = range(0, len(back), 2), range(1, len(back), 2)  # choose on a, measure on b
    single_at = confident_threshold([top1[k] for k in a], [first[k] for k in a])
    none_below = unsure_threshold([top1[k] for k in a], [shown[k] for k in a])
    return {
        "source": f"seat retraining: 1 in {HOLD_BACK_EVERY} of {len(texts)} finished tickets "
        f"held back; thresholds on {len(a)} of them, figures on the other {len(b)}",
        "scorers": {
            "model": {
                "labels": 0,
                "single_at": None if single_at is None else round(single_at, 4),
                "none_below": None if none_below is None else round(none_below, 4),
                "heldout": measure_bands(
                    [top1[k] for k in b],
                    [first[k] for k in b],
                    [shown[k] for k in b],
                    single_at,
                    none_below,
                ),
            }
        },
    }


def model_age(paths: DataPaths, now: datetime | None = None) -> timedelta | None:
    """How old the current version is (from its name), or None without a version."""
    name = versions.current_version(model_root(paths))
    if name is None:
        listed = versions.list_versions(model_root(paths))
        if not listed:
            return None
        name = listed[-1]
    made = datetime.strptime(name.split("-")[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return (now or datetime.now(UTC)) - made


def retrain_if_due(
    paths: DataPaths,
    *,
    every: timedelta = DEFAULT_EVERY,
    catalogue: Sequence[CatalogueRecord] | None = None,
    min_tickets: int = MIN_TICKETS,
    keep: int = versions.KEEP_VERSIONS,
    config: TrainConfig | None = None,
    now: datetime | None = None,
) -> TrainReport:
    """:func:`retrain_from_db` when there is no version yet or the current one is older than
    ``every``; otherwise a report with ``reason == "not_due"`` (cheap: reads one small file).

    For a ``QTimer`` (e.g. hourly) and at start-up: most calls return ``not_due`` at once."""
    age = model_age(paths, now)
    if age is not None and age < every:
        root = model_root(paths)
        return TrainReport(False, "not_due", model_dir=versions.current_model_dir(root))
    return retrain_from_db(
        paths, catalogue=catalogue, min_tickets=min_tickets, keep=keep, config=config, now=now
    )


__all__ = [
    "FINISHED_STATUSES",
    "MIN_TICKETS",
    "TrainReport",
    "model_root",
    "read_finished_tickets",
    "retrain_from_db",
    "retrain_if_due",
    "model_age",
    "ticket_text",
]

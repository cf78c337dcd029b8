"""The table model of "今日工单": all of a day's tickets, sorted and filtered in one model, with
the work that takes time at 30,000 rows cut into slices the GUI thread runs between events.

A sort or a filter at that size is tens to hundreds of milliseconds of Python: the sort keys of
a column (ticket numbers made natural, callers masked), the sort itself, the filter's pass over
every row's text.  That work runs on the GUI thread in slices of about :data:`SLICE_MS` between
events (:class:`TodaysTableModel`), not in a worker thread: a pure-Python worker holds the GIL,
and the GUI thread needs it for every cell it paints (each ``data()`` call waits for the
worker's switch interval, 5 ms): a repaint of the table took 0.3–2 s instead of 20 ms while a
worker thread sorted (docs/PERFORMANCE.md, "Today's tickets").  Slices keep the table
answering the operator throughout, and a newer request simply replaces the job in progress:
an older answer is never shown.

The result of a job (:class:`Arrangement`: the rows shown, in order) is applied in one layout
change that moves the view's persistent indexes (selection, current row) with their tickets,
also across a refresh of the day's rows; a day of at most :data:`SYNC_ROWS` rows (an
operator's day) is arranged at once, as before.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal

from agent_app.domain.summary import TicketSummary
from agent_app.ui.models.ticket_table import (
    SORT_ROLE,
    ModelIndex,
    TicketTableModel,
    filter_texts,
)

SLICE_MS = 8  # the GUI thread's time for a job per turn of the event loop
CHUNK = 500  # rows handled between two looks at the clock (a few ms at most)
SORT_BLOCK = 2_000  # rows sorted at once; the blocks are then merged a piece at a time
SYNC_ROWS = 2_000  # a day this small is sorted and filtered at once (a few ms)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_DUE_COLUMN = TicketTableModel.COLUMNS.index("时限")
_OTHER_ROLES = frozenset(
    int(r) for r in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole)
) | {SORT_ROLE}

Job = Generator[None, None, "Arrangement"]


@dataclass(eq=False)
class Day:
    """One load of the day's rows and what was worked out about them (plain data)."""

    rows: list[TicketSummary]
    texts: list[str] | None  # the rows' filter texts (made in the worker that read them)
    now: datetime | None = None
    keys: dict[int, list[Any]] = field(default_factory=dict)  # column -> sort keys
    orders: dict[tuple[int, bool], list[int]] = field(default_factory=dict)  # sorted indexes
    by_id: dict[str, int] | None = None  # ticket id -> index in rows


@dataclass(eq=False)
class Arrangement:
    """What the table shows: ``shown`` indexes into ``day.rows``, in order."""

    day: Day
    column: int
    descending: bool
    terms: tuple[str, ...]
    shown: Sequence[int]
    rows: list[TicketSummary]
    row_of: list[int]  # index in day.rows -> row shown, -1 when filtered out


def sorted_in_blocks(keys: Sequence[Any], descending: bool) -> Generator[None, None, list[int]]:
    """``sorted(range(len(keys)), key=keys.__getitem__, reverse=descending)``, ties in index
    order, in pieces: blocks of :data:`SORT_BLOCK` sorted one at a time, then merged
    :data:`SORT_BLOCK` rows at a time (``heapq.merge`` prefers the earlier block on ties)."""
    n = len(keys)
    key = keys.__getitem__
    if n <= SORT_BLOCK:
        return sorted(range(n), key=key, reverse=descending)
    blocks = []
    for start in range(0, n, SORT_BLOCK):
        blocks.append(sorted(range(start, min(start + SORT_BLOCK, n)), key=key, reverse=descending))
        yield
    merged = heapq.merge(*blocks, key=key, reverse=descending)
    order: list[int] = []
    while len(order) < n:
        order.extend(islice(merged, SORT_BLOCK))
        yield
    return order


class TodaysTableModel(TicketTableModel):
    """The day's rows that contain every word of the filter, in the sort order
    (:meth:`TicketTableModel.sort_key`; column -1: the order the rows were given in).

    Signals:
        arranged(bool): a sort, filter or new rows are shown; True when new rows came.
        busy_changed(bool): a job is in progress (True) or none is (False).
    """

    arranged = Signal(bool)
    busy_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        time_format: str = "%H:%M",
        sync_rows: int = SYNC_ROWS,
    ) -> None:
        super().__init__(parent, time_format=time_format)
        self.sync_rows = sync_rows
        self._day = Day([], None)  # the newest rows (shown once arranged)
        self._shown_arrangement: Arrangement | None = None
        self._column = -1
        self._descending = False
        self._terms: tuple[str, ...] = ()
        self._job: Job | None = None
        self._ready: Arrangement | None = None  # a finished job's answer, shown next turn
        self._lights: dict[str, Any] = {}  # ticket id -> its time limit's colour (this load)
        self._job_kind = ""
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._run_slice)

    # Requests -------------------------------------------------------------------------------

    def set_rows(
        self,
        rows: list[TicketSummary],
        now: datetime | None = None,
        texts: list[str] | None = None,
    ) -> None:
        """The day's rows (a refresh keeps the sort, the filter and the selected tickets);
        ``texts``: their :func:`filter_texts`, made off the GUI thread."""
        keep = texts is not None and len(texts) == len(rows)
        self._day = Day(list(rows), list(texts) if keep and texts is not None else None, now)
        self._request("rows")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by :meth:`sort_key` of ``column`` (-1: the order the rows were given in)."""
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._column, self._descending):
            return
        self._column, self._descending = column, descending
        self._request("sort")

    def set_filter_text(self, text: str) -> None:
        """Keep the rows containing every whitespace-separated word (case-insensitive)."""
        terms = tuple(text.casefold().split())
        if terms == self._terms:
            return
        self._terms = terms
        self._request("filter")

    # State ----------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A sort, filter or new rows are being prepared."""
        return self._job is not None or self._ready is not None

    def job_kind(self) -> str:
        """What is being prepared: "sort", "filter", "rows" (the newest request), or ""."""
        return self._job_kind if self.busy else ""

    def sort_column(self) -> int:
        return self._column

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def filter_terms(self) -> tuple[str, ...]:
        """The words the rows shown were filtered by."""
        shown = self._shown_arrangement
        return shown.terms if shown is not None else ()

    def total(self) -> int:
        """All rows of the day shown (before the filter)."""
        shown = self._shown_arrangement
        return len(shown.day.rows) if shown is not None else 0

    def has_filter_texts(self) -> bool:
        return self._day.texts is not None

    def filter_text(self, row: int) -> str:
        """The shown row's :func:`filter_texts` entry."""
        shown = self._shown_arrangement
        assert shown is not None
        day = shown.day
        if day.texts is None:
            day.texts = filter_texts(day.rows, unmasked=self.unmasked)
        return day.texts[shown.shown[row]]

    def shown_text(self, row: int, column: int) -> str:
        """The text shown in a cell (its display role)."""
        return self._display(self._rows[row], column)

    def _display(self, t: TicketSummary, col: int) -> str:
        # The times without strftime: through PySide's import hook it cost ~10 us a cell.
        if col == 1 and self._time_format == "%H:%M":
            at = t.created_at
            return f"{at.hour:02d}:{at.minute:02d}"
        if col == 7:
            due = t.due_at
            return f"{due.month:02d}-{due.day:02d} {due.hour:02d}:{due.minute:02d}" if due else ""
        return super()._display(t, col)

    # Qt model ---------------------------------------------------------------------------------

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY:  # most asked: no more Python than the cell's text
            row = index.row()
            if 0 <= row < len(self._rows):
                return self._display(self._rows[row], index.column())
            return None
        if role == _FOREGROUND:  # asked for every cell painted: the light once per ticket
            row = index.row()
            if index.column() != _DUE_COLUMN or not 0 <= row < len(self._rows):
                return None
            ticket = self._rows[row].id
            if ticket not in self._lights:
                self._lights[ticket] = super().data(index, role)
            return self._lights[ticket]
        if role not in _OTHER_ROLES:
            return None
        return super().data(index, role)

    # Jobs -----------------------------------------------------------------------------------

    def _request(self, kind: str) -> None:
        """Arrange the newest rows by the newest sort and filter: at once for a small day,
        else in slices (a job in progress is dropped: its answer is stale)."""
        job = self._arrange(self._day, self._column, self._descending, self._terms)
        self._job_kind = kind
        if len(self._day.rows) <= self.sync_rows:
            self._finish_now(job)
            return
        was_busy = self.busy
        self._job, self._ready = job, None
        self._timer.start()
        if not was_busy:
            self.busy_changed.emit(True)

    def _finish_now(self, job: Job) -> None:
        was_busy = self.busy
        self._job = self._ready = None
        self._timer.stop()
        try:
            while True:
                next(job)
        except StopIteration as done:
            self._apply(done.value)
        if was_busy:
            self.busy_changed.emit(False)

    def _run_slice(self) -> None:
        ready = self._ready
        if ready is not None:  # shown in a turn of its own, not after a slice of work
            self._ready = None
            self._apply(ready)
            self.busy_changed.emit(False)
            return
        job = self._job
        if job is None:
            return
        deadline = time.perf_counter() + SLICE_MS / 1000
        try:
            next(job)  # at least one piece a turn
            while time.perf_counter() < deadline:
                next(job)
        except StopIteration as done:
            self._job, self._ready = None, done.value
        self._timer.start()  # the rest after the events that came meanwhile

    def _arrange(self, day: Day, column: int, descending: bool, terms: tuple[str, ...]) -> Job:
        """The rows shown for this sort and filter, worked out a piece at a time."""
        rows = day.rows
        n = len(rows)
        order: Sequence[int]
        if 0 <= column < len(self.COLUMNS):
            cached = day.orders.get((column, descending))
            if cached is None:
                keys = day.keys.get(column)
                if keys is None:
                    keys = []
                    for start in range(0, n, CHUNK):
                        keys.extend([self.sort_key(t, column) for t in rows[start : start + CHUNK]])
                        yield
                    day.keys[column] = keys
                cached = yield from sorted_in_blocks(keys, descending)
                day.orders[column, descending] = cached
            order = cached
        else:
            order = range(n)
        if terms:
            texts = day.texts
            if texts is None:
                texts = []
                for start in range(0, n, CHUNK):
                    texts.extend(filter_texts(rows[start : start + CHUNK], unmasked=self.unmasked))
                    yield
                day.texts = texts
            shown: list[int] = []
            step = CHUNK * 8  # a substring test per row: cheaper than a key
            for start in range(0, n, step):
                part = order[start : start + step]
                if len(terms) == 1:
                    term = terms[0]
                    shown.extend([i for i in part if term in texts[i]])
                else:
                    shown.extend([i for i in part if all(t in texts[i] for t in terms)])
                yield
            order = shown
        shown_rows: list[TicketSummary] = []
        row_of = [-1] * n
        step = CHUNK * 8
        for start in range(0, len(order), step):
            part = order[start : start + step]
            shown_rows.extend([rows[i] for i in part])
            for row, i in enumerate(part, start):
                row_of[i] = row
            yield
        shown_before = self._shown_arrangement
        if shown_before is not None and shown_before.day is not day and day.by_id is None:
            by_id: dict[str, int] = {}  # a refresh: where each selected ticket went
            for start in range(0, n, step):
                by_id.update((t.id, i) for i, t in enumerate(rows[start : start + step], start))
                yield
            day.by_id = by_id
        return Arrangement(day, column, descending, terms, order, shown_rows, row_of)

    def _apply(self, new: Arrangement) -> None:
        """Show ``new`` in one layout change; persistent indexes (the view's selection and
        current row) follow their tickets, or become invalid when filtered out or gone.  Like
        QSortFilterProxyModel.invalidate(), the row count may change within the change."""
        old = self._shown_arrangement
        new_day = old is None or new.day is not old.day
        if new_day:
            self._lights = {}
        if new.day.now is not None:
            self._now = new.day.now
        if not self._rows:  # nothing shown, nothing to keep
            self.beginResetModel()
            self._shown_arrangement, self._rows = new, new.rows
            self.endResetModel()
            self.arranged.emit(new_day)
            return
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        persistent = self.persistentIndexList()
        self._shown_arrangement, self._rows = new, new.rows
        moved = []
        by_id = new.day.by_id
        for index in persistent:
            row, at = index.row(), -1
            if old is not None and 0 <= row < len(old_rows):
                if not new_day:
                    at = new.row_of[old.shown[row]]
                elif by_id is not None:
                    i = by_id.get(old_rows[row].id)
                    at = new.row_of[i] if i is not None else -1
            moved.append(self.index(at, index.column()) if at >= 0 else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
        self.arranged.emit(new_day)

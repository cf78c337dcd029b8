"""The lead's desk views: the review worklists, the figures, the overdue lights, the desk."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.domain.deadlines import DUE_SOON_HOURS
from agent_app.domain.rates import CLASSES, RankingRow, RateRow
from agent_app.services.lead_desk import EXPORT_FORMATS, EXPORT_SUFFIX, OverdueCounts
from agent_app.services.lead_fallback import RETRY_SECONDS, Outage
from agent_app.services.reports.figures import Candidate, TicketRef, add_months
from agent_app.services.review import OPEN_STATUSES, ReviewRow
from agent_app.ui import domain_names
from agent_app.ui.lead_desk.presenters import (
    ConflictsPresenter,
    ConflictsState,
    FiguresPresenter,
    FiguresState,
    ReturnedState,
    ReturnedToMePresenter,
    ReviewPresenter,
    ReviewState,
    ScorecardPresenter,
    ScorecardState,
    month_of,
)
from agent_app.ui.lead_desk.tables import KEY_ROLE, Col, Rows, RowsProxy, fraction, table
from agent_app.ui.models.ticket_table import AMBER, GREEN, RED

CLASS_NAMES = (  # the classes' names, for the translation file
    QT_TRANSLATE_NOOP("LeadDesk", "先进类"),
    QT_TRANSLATE_NOOP("LeadDesk", "进步类"),
    QT_TRANSLATE_NOOP("LeadDesk", "整改类"),
    QT_TRANSLATE_NOOP("LeadDesk", "治理类"),
)
CLASS_COLOURS = {"先进类": "#1b5e20", "进步类": "#1565c0", "整改类": "#b71c1c", "治理类": "#8a4b00"}
BY_NAMES = {
    "township": QT_TRANSLATE_NOOP("LeadDesk", "街乡镇"),
    "district": QT_TRANSLATE_NOOP("LeadDesk", "区"),
    "unit": QT_TRANSLATE_NOOP("LeadDesk", "承办单位"),
    "department": QT_TRANSLATE_NOOP("LeadDesk", "市级部门"),
    "utility": QT_TRANSLATE_NOOP("LeadDesk", "公共服务企业"),
}
TABLE_NAMES = {
    "township": QT_TRANSLATE_NOOP("LeadDesk", "街乡镇"),
    "district": QT_TRANSLATE_NOOP("LeadDesk", "各区"),
    "department": QT_TRANSLATE_NOOP("LeadDesk", "市级部门"),
    "utility": QT_TRANSLATE_NOOP("LeadDesk", "国有企业/公共服务企业"),
}


def tr(text: object) -> str:
    return QCoreApplication.translate("LeadDesk", str(text))


def _short(text: str | None) -> str:
    if not text:
        return "—"
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{at.astimezone(timeutil.SHANGHAI):%m-%d %H:%M}"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


# The seat's copy while the centre is away ------------------------------------------------------

SEAT_MARK = QT_TRANSLATE_NOOP("LeadDesk", "本席数据（中心暂不可达，{0} 起）")
SEAT_MARK_TIP = QT_TRANSLATE_NOOP(
    "LeadDesk",
    "中心 {0} 暂不可达：{1}\n"
    "显示的是本席保存的数据，可能不完整。每 {2} 秒或同步连上中心后重试，恢复后自动切回中心数据。",
)


def seat_mark_text(outage: Outage) -> str:
    """本席数据（中心暂不可达，HH:MM 起）."""
    return tr(SEAT_MARK).format(outage.clock())


def seat_mark_tip(outage: Outage) -> str:
    """Where the centre is, why it could not be reached, what the lead sees meanwhile."""
    return tr(SEAT_MARK_TIP).format(outage.where or "—", outage.reason, int(RETRY_SECONDS))


class SeatMark(QLabel):
    """A strip over a list: its rows are the seat's copy because the centre could not be
    reached (hidden while the centre answers)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel { color: #8a4b00; background: #fff3e0; border: 1px solid #e0b070;"
            " padding: 3px 6px; font-weight: bold; }"
        )
        self.hide()

    def show_outage(self, outage: Outage | None) -> None:
        if outage is None:
            self.hide()
            self.clear()
            self.setToolTip("")
            return
        self.setText(seat_mark_text(outage))
        self.setToolTip(seat_mark_tip(outage))
        self.show()


# Overdue lights --------------------------------------------------------------------------------


class OverdueBar(QWidget):
    """超时 / 即将到期 / 时限内 counts, always in the desk's top bar."""

    clicked = Signal(str)  # "red", "amber"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overdueBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        for light, colour in (("red", RED), ("amber", AMBER), ("green", GREEN)):
            b = QPushButton()
            b.setObjectName(f"overdue_{light}")
            b.setFlat(True)
            b.setStyleSheet(f"QPushButton {{ color: {colour.name()}; font-weight: bold; }}")
            b.clicked.connect(lambda _=False, x=light: self.clicked.emit(x))
            layout.addWidget(b)
            self.buttons[light] = b
        self.show_counts(None, "")

    def show_counts(self, counts: OverdueCounts | None, error: str) -> None:
        c = counts or OverdueCounts()
        known = counts is not None
        texts = {
            "red": tr(QT_TRANSLATE_NOOP("LeadDesk", "● 已超时 {0}")),
            "amber": tr(QT_TRANSLATE_NOOP("LeadDesk", "● 即将到期 {0}")),
            "green": tr(QT_TRANSLATE_NOOP("LeadDesk", "● 时限内 {0}")),
        }
        rules = {  # due_light: the rule of the counts and of the lists they open
            "red": tr(
                QT_TRANSLATE_NOOP(
                    "LeadDesk", "已超时：办理时限已过的在办工单。点击在超时预警中列出。"
                )
            ),
            "amber": tr(
                QT_TRANSLATE_NOOP(
                    "LeadDesk",
                    "即将到期：{0} 小时内到期、尚未超时的在办工单。"
                    "点击在超时预警中列出（{0}小时内到期）。",
                )
            ).format(DUE_SOON_HOURS),
            "green": tr(
                QT_TRANSLATE_NOOP("LeadDesk", "时限内：距办理时限还有 {0} 小时以上的在办工单。")
            ).format(DUE_SOON_HOURS),
        }
        for light, b in self.buttons.items():
            b.setText(texts[light].format(getattr(c, light) if known else "…"))
            b.setToolTip(f"{error}\n{rules[light]}" if error else rules[light])
        self.setToolTip(error)

    def count(self, light: str) -> str:
        return self.buttons[light].text()


# Review worklist ------------------------------------------------------------------------------


def _flags(r: ReviewRow) -> str:
    out = []
    if r.overdue:
        out.append(tr(QT_TRANSLATE_NOOP("LeadDesk", "超时")))
    if r.rehandled:
        out.append(tr(QT_TRANSLATE_NOOP("LeadDesk", "重办{0}")).format(r.rehandled))
    if r.dissatisfied:
        out.append(tr(QT_TRANSLATE_NOOP("LeadDesk", "不满意")))
    if r.confidential:
        out.append(tr(QT_TRANSLATE_NOOP("LeadDesk", "保密")))
    if r.qa_score is not None:
        out.append(tr(QT_TRANSLATE_NOOP("LeadDesk", "质检{0:g}")).format(r.qa_score))
    return " ".join(out)


REVIEW_FILTERS: tuple[tuple[str, object, dict[str, Any]], ...] = (
    ("all", QT_TRANSLATE_NOOP("LeadDesk", "全部工单"), {}),
    ("open", QT_TRANSLATE_NOOP("LeadDesk", "在办"), {"status": OPEN_STATUSES}),
    ("overdue", QT_TRANSLATE_NOOP("LeadDesk", "已超时"), {"overdue": True}),
    ("due", QT_TRANSLATE_NOOP("LeadDesk", "24小时内到期"), {"due_within_hours": 24.0}),
    ("dissatisfied", QT_TRANSLATE_NOOP("LeadDesk", "回访不满意"), {"dissatisfied": True}),
    ("rehandled", QT_TRANSLATE_NOOP("LeadDesk", "重办"), {"rehandled": True}),
    ("confidential", QT_TRANSLATE_NOOP("LeadDesk", "保密"), {"confidential": True}),
    ("qa_failed", QT_TRANSLATE_NOOP("LeadDesk", "质检未通过"), {"qa": "failed"}),
)
SORTS = (
    ("created", QT_TRANSLATE_NOOP("LeadDesk", "最新在前")),
    ("oldest", QT_TRANSLATE_NOOP("LeadDesk", "最早在前")),
    ("due", QT_TRANSLATE_NOOP("LeadDesk", "按到期时间")),
)


class ReviewView(QWidget):
    """Filters, the page's rows (sortable within the page), count and "更多"."""

    def __init__(
        self,
        presenter: ReviewPresenter,
        *,
        filters: bool = True,
        name: str = "reviewView",
        extra: Sequence[Col] = (),
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        self.presenter = presenter
        cols = [
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "工单号")), lambda r: r.number, lambda r: r.number
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "状态")),
                lambda r: domain_names.status(r.status),
                lambda r: r.status,
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "受理时间")),
                lambda r: _short(r.created_at),
                lambda r: r.created_at,
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "办理时限")),
                lambda r: _short(r.due_at),
                lambda r: r.due_at or "",
                colour=lambda r: RED.name() if r.overdue else None,
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "分类")),
                lambda r: r.category.rsplit("/", 1)[-1],
                lambda r: r.category,
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "区")), lambda r: r.district, lambda r: r.district
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "街乡镇")),
                lambda r: r.township,
                lambda r: r.township,
            ),
            Col(tr(QT_TRANSLATE_NOOP("LeadDesk", "承办单位")), lambda r: r.unit, lambda r: r.unit),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "话务员")),
                lambda r: r.operator,
                lambda r: r.operator,
            ),
            Col(tr(QT_TRANSLATE_NOOP("LeadDesk", "标记")), _flags, _flags),
            *extra,
        ]
        self.model = Rows(cols, self)
        self.proxy = RowsProxy(self.model, self)
        self.table = table(self.proxy, "reviewTable")
        self.table.doubleClicked.connect(self._open)
        self.table.selectionModel().currentRowChanged.connect(self._open)
        self.kind = QComboBox()
        self.kind.setObjectName("reviewKind")
        for key, text, _ in REVIEW_FILTERS:
            self.kind.addItem(tr(text), key)
        self.sort = QComboBox()
        self.sort.setObjectName("reviewSort")
        for key, text in SORTS:
            self.sort.addItem(tr(text), key)
        self.district = QLineEdit()
        self.district.setObjectName("reviewDistrict")
        self.district.setPlaceholderText(tr(QT_TRANSLATE_NOOP("LeadDesk", "区")))
        self.unit = QLineEdit()
        self.unit.setObjectName("reviewUnit")
        self.unit.setPlaceholderText(tr(QT_TRANSLATE_NOOP("LeadDesk", "承办单位")))
        self.operator = QLineEdit()
        self.operator.setObjectName("reviewOperator")
        self.operator.setPlaceholderText(tr(QT_TRANSLATE_NOOP("LeadDesk", "话务员工号")))
        for edit in (self.district, self.unit, self.operator):
            edit.setClearButtonEnabled(True)
            edit.editingFinished.connect(self._apply)
        self.kind.currentIndexChanged.connect(self._apply)
        self.sort.currentIndexChanged.connect(self._apply)
        self.filter_bar = QWidget()
        bar = QHBoxLayout(self.filter_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.kind, self.sort, self.district, self.unit, self.operator):
            bar.addWidget(w, 1 if isinstance(w, QLineEdit) else 0)
        self.count = QLabel()
        self.count.setObjectName("reviewCount")
        self.message = QLabel()
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)
        self.more_button = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "更多")))
        self.more_button.setObjectName("reviewMore")
        self.more_button.clicked.connect(presenter.more)
        foot = QHBoxLayout()
        foot.addWidget(self.count)
        foot.addWidget(self.message, 1)
        foot.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_bar)
        self.filter_bar.setVisible(filters)
        self.seat_mark = SeatMark(f"{name}SeatMark")
        layout.addWidget(self.seat_mark)
        layout.addWidget(self.table, 1)
        layout.addLayout(foot)
        self.base = presenter.state.filter
        self._rows_filter = presenter.state.filter  # the filter the listed rows were read by
        presenter.changed.connect(self.show_state)
        self.show_state(presenter.state)

    def _apply(self, *_args: object) -> None:
        extra = dict(REVIEW_FILTERS[max(self.kind.currentIndex(), 0)][2])
        flt = replace(
            self.base,
            district=self.district.text().strip(),
            unit=self.unit.text().strip(),
            operator=self.operator.text().strip(),
            sort=str(self.sort.currentData() or "created"),
            **extra,
        )
        if flt.overdue or flt.due_within_hours is not None:
            flt = replace(flt, sort="due")
        if flt != self.presenter.state.filter:
            self.presenter.set_filter(flt)

    def _replace_rows(self, rows: Sequence[ReviewRow]) -> None:
        """Other rows for the list in sight (read again): the selected rows that are still
        listed stay selected, and the row at the top of the view stays at the top."""
        sel = self.table.selectionModel()
        chosen = {self.proxy.row_at(i.row()).id for i in sel.selectedRows()}
        current = self.table.currentIndex()
        current_id = self.proxy.row_at(current.row()).id if current.isValid() else None
        top = self.table.rowAt(0)
        top_id = self.proxy.row_at(top).id if top >= 0 else None
        self.model.set_rows(rows)
        where = {self.proxy.row_at(i).id: i for i in range(self.proxy.rowCount())}
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for ident in chosen:
            if ident in where:
                sel.select(self.proxy.index(where[ident], 0), flags)
        if current_id is not None and current_id in where:
            sel.setCurrentIndex(
                self.proxy.index(where[current_id], 0),
                QItemSelectionModel.SelectionFlag.NoUpdate,
            )
        if top_id is not None and top_id in where:
            self.table.scrollTo(
                self.proxy.index(where[top_id], 0), QAbstractItemView.ScrollHint.PositionAtTop
            )

    def _open(self, index: QModelIndex, *_rest: object) -> None:
        if index.isValid():
            row = self.proxy.row_at(index.row())
            if row.id != self.presenter.state.selected:
                self.presenter.select(row.id)

    def show_state(self, state: ReviewState) -> None:
        shown = tuple(self.model.row_at(i) for i in range(self.model.rowCount()))
        if shown != state.rows:
            if shown and [r.id for r in shown] == [r.id for r in state.rows]:
                self.model.update_rows(state.rows)  # the same rows changed: keep the selection
            elif shown and state.filter == self._rows_filter:
                self._replace_rows(state.rows)  # the same list read again (a sync)
            else:
                self.model.set_rows(state.rows)
        if not state.loading:
            self._rows_filter = state.filter
            self.seat_mark.show_outage(None if state.error else state.outage)
        self.count.setText(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "显示 {0} / 共 {1}")).format(
                len(state.rows), state.total
            )
        )
        self.more_button.setEnabled(state.next is not None and not state.loading)
        if state.error:
            self.message.setText(state.error)
            self.message.setStyleSheet("color: #b71c1c;")
        else:
            self.message.setText(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "正在读取…")) if state.loading else ""
            )
            self.message.setStyleSheet("")


# Figures ------------------------------------------------------------------------------------


def _rate_cols() -> list[Col]:
    def count(name: str) -> Callable[[RateRow], int]:
        return lambda r: int(getattr(r.counts, name))

    return [
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "排名")),
            lambda r: str(r.rank or "—"),
            lambda r: -(r.rank or 10**6),
        ),
        Col(tr(QT_TRANSLATE_NOOP("LeadDesk", "名称")), lambda r: r.name, lambda r: r.name),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "派单工单")),
            lambda r: str(r.counts.tickets),
            count("tickets"),
            measure="tickets",
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "响应率（按时签收/派单）")),
            lambda r: fraction(r.response_rate, r.counts.signed_in_time, r.counts.dispatches),
            lambda r: r.response_rate,
            measure="signed_in_time",
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "解决率（已解决/回访）")),
            lambda r: fraction(r.resolution_rate, r.counts.resolved, r.counts.callbacks),
            lambda r: r.resolution_rate,
            measure="resolved",
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "满意率（满意/回访）")),
            lambda r: fraction(r.satisfaction_rate, r.satisfied, r.counts.callbacks),
            lambda r: r.satisfaction_rate,
            measure="satisfied",
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "综合得分")),
            lambda r: "—" if r.score is None else f"{r.score:.2f}",
            lambda r: r.score,
        ),
    ]


def _ranking_cols() -> list[Col]:
    def prev_score(r: RankingRow) -> str:
        return "—" if r.previous is None or r.previous.score is None else f"{r.previous.score:.2f}"

    return [
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "类别")),
            lambda r: tr(r.cls),
            lambda r: (CLASSES.index(r.cls), r.position),
            colour=lambda r: CLASS_COLOURS.get(r.cls),
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "位次")),
            lambda r: str(r.position),
            lambda r: r.position,
        ),
        Col(tr(QT_TRANSLATE_NOOP("LeadDesk", "名称")), lambda r: r.row.name, lambda r: r.row.name),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "本月得分")),
            lambda r: "—" if r.row.score is None else f"{r.row.score:.2f}",
            lambda r: r.row.score,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "上月得分")),
            prev_score,
            lambda r: r.previous.score if r.previous else None,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "环比")),
            lambda r: "—" if r.gain is None else f"{r.gain:+.2f}",
            lambda r: r.gain,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "上月类别")),
            lambda r: "、".join(tr(c) for c in r.previous_classes) or "—",
            lambda r: ",".join(r.previous_classes),
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "诉求量")),
            lambda r: f"{r.volume:g}",
            lambda r: r.volume,
        ),
    ]


def _hotspot_cols() -> list[Col]:
    return [
        Col(tr(QT_TRANSLATE_NOOP("LeadDesk", "序号")), lambda c: str(c.rank), lambda c: -c.rank),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "诉求分类")),
            lambda c: c.category_name.rsplit("/", 1)[-1],  # the leaf; the path sorts
            lambda c: c.category_name,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "本月件数")),
            lambda c: str(c.tickets),
            lambda c: c.tickets,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "基线中位数")),
            lambda c: f"{c.median:g}",
            lambda c: c.median,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "增幅")),
            lambda c: f"{c.growth * 100:+.0f}%",
            lambda c: c.growth,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "热点街乡")),
            lambda c: str(c.hot_places),
            lambda c: c.hot_places,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "重复诉求")),
            lambda c: str(c.repeats),
            lambda c: c.repeats,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "往年选题")),
            lambda c: c.past_topic or "—",
            lambda c: c.past_topic,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "样例工单")),
            lambda c: "  ".join(c.samples),
            lambda c: ",".join(c.samples),
        ),
    ]


def _ticket_cols() -> list[Col]:
    return [
        Col(tr(QT_TRANSLATE_NOOP("LeadDesk", "工单号")), lambda t: t.number, lambda t: t.number),
        Col(tr(QT_TRANSLATE_NOOP("LeadDesk", "承办单位")), lambda t: t.unit, lambda t: t.unit),
        Col(tr(QT_TRANSLATE_NOOP("LeadDesk", "区")), lambda t: t.district, lambda t: t.district),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "时间")),
            lambda t: f"{t.at.astimezone(timeutil.SHANGHAI):%Y-%m-%d %H:%M}",
            lambda t: t.at.timestamp(),
        ),
    ]


class FiguresView(QWidget):
    """Period picker and grouping; 三率 | 四类排名 | 趋势 | 每月一题; exports.

    Signals: open_number(str): a ticket behind a figure (its number) is to be shown;
    choropleth(dict): township scores for the map (name → (score, tooltip))."""

    open_number = Signal(str)
    choropleth = Signal(dict)

    def __init__(self, presenter: FiguresPresenter) -> None:
        super().__init__()
        self.setObjectName("figuresView")
        self.presenter = presenter
        st = presenter.state
        # Period, grouping, month -----------------------------------------------------------
        self.first = QDateEdit(_qdate(st.first))
        self.first.setObjectName("figuresFrom")
        self.last = QDateEdit(_qdate(st.last))
        self.last.setObjectName("figuresTo")
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.dateChanged.connect(self._period_changed)
        self.month = QComboBox()
        self.month.setObjectName("figuresMonth")
        current = month_of(st.last)
        for i in range(0, 13):
            m = add_months(current, -i)
            self.month.addItem(m.strftime("%Y-%m"), m)
        self.month.activated.connect(self._month_chosen)
        self.by = QComboBox()
        self.by.setObjectName("figuresBy")
        for key, text in BY_NAMES.items():
            self.by.addItem(tr(text), key)
        self.by.currentIndexChanged.connect(
            lambda _i: self.presenter.set_by(str(self.by.currentData()))
        )
        top = QHBoxLayout()
        top.addWidget(QLabel(tr(QT_TRANSLATE_NOOP("LeadDesk", "月份"))))
        top.addWidget(self.month)
        top.addWidget(QLabel(tr(QT_TRANSLATE_NOOP("LeadDesk", "或时段"))))
        top.addWidget(self.first)
        top.addWidget(QLabel("—"))
        top.addWidget(self.last)
        top.addWidget(QLabel(tr(QT_TRANSLATE_NOOP("LeadDesk", "按"))))
        top.addWidget(self.by)
        top.addStretch(1)
        # 三率 -----------------------------------------------------------------------------
        self.rates_model = Rows(_rate_cols(), self)
        self.rates_proxy = RowsProxy(self.rates_model, self)
        self.rates_table = table(self.rates_proxy, "ratesTable")
        self.rates_table.doubleClicked.connect(self._figure_clicked)
        self.rates_filter = QLineEdit()
        self.rates_filter.setObjectName("ratesFilter")
        self.rates_filter.setClearButtonEnabled(True)
        self.rates_filter.setPlaceholderText(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "筛选名称…（双击数字列出其工单）"))
        )
        self.rates_filter.textChanged.connect(self.rates_proxy.setFilterFixedString)
        self.tickets_title = QLabel()
        self.tickets_title.setObjectName("figureTicketsTitle")
        self.tickets_model = Rows(_ticket_cols(), self)
        self.tickets_proxy = RowsProxy(self.tickets_model, self)
        self.tickets_table = table(self.tickets_proxy, "figureTickets")
        self.tickets_table.doubleClicked.connect(self._ticket_clicked)
        rates_page = QWidget()
        rl = QVBoxLayout(rates_page)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.rates_filter)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.rates_table)
        below = QWidget()
        bl = QVBoxLayout(below)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.tickets_title)
        bl.addWidget(self.tickets_table, 1)
        split.addWidget(below)
        split.setSizes([400, 160])
        rl.addWidget(split, 1)
        # 四类排名 ------------------------------------------------------------------------------
        self.table_choice = QComboBox()
        self.table_choice.setObjectName("rankingTable")
        for key, text in TABLE_NAMES.items():
            self.table_choice.addItem(tr(text), key)
        self.table_choice.currentIndexChanged.connect(lambda _i: self._show_rankings())
        self.rankings_model = Rows(_ranking_cols(), self)
        self.rankings_proxy = RowsProxy(self.rankings_model, self)
        self.rankings_table = table(self.rankings_proxy, "rankingsTable")
        self.rankings_caption = QLabel()
        self.rankings_caption.setObjectName("rankingsCaption")
        self.rankings_caption.setWordWrap(True)
        rank_page = QWidget()
        kl = QVBoxLayout(rank_page)
        kl.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.table_choice)
        head.addWidget(self.rankings_caption, 1)
        kl.addLayout(head)
        kl.addWidget(self.rankings_table, 1)
        # 趋势 (pyqtgraph on first show) -------------------------------------------------------
        self.trend_page = QWidget()
        self.trend_layout = QVBoxLayout(self.trend_page)
        self.trend_layout.setContentsMargins(0, 0, 0, 0)
        self.chart: Any = None
        # 每月一题 ----------------------------------------------------------------------------
        self.hot_model = Rows(_hotspot_cols(), self)
        self.hot_proxy = RowsProxy(self.hot_model, self)
        self.hot_table = table(self.hot_proxy, "hotspotTable")
        self.hot_table.doubleClicked.connect(self._sample_clicked)
        self.hot_caption = QLabel()
        self.hot_caption.setObjectName("hotspotCaption")
        self.hot_caption.setWordWrap(True)
        hot_page = QWidget()
        hl = QVBoxLayout(hot_page)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.hot_caption)
        hl.addWidget(self.hot_table, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("figuresTabs")
        self.tabs.addTab(rates_page, tr(QT_TRANSLATE_NOOP("LeadDesk", "三率")))
        self.tabs.addTab(rank_page, tr(QT_TRANSLATE_NOOP("LeadDesk", "四类排名")))
        self.tabs.addTab(self.trend_page, tr(QT_TRANSLATE_NOOP("LeadDesk", "趋势")))
        self.tabs.addTab(hot_page, tr(QT_TRANSLATE_NOOP("LeadDesk", "热点与每月一题")))
        self.tabs.currentChanged.connect(self._tab_shown)
        # Exports ------------------------------------------------------------------------------
        foot = QHBoxLayout()
        foot.addWidget(QLabel(tr(QT_TRANSLATE_NOOP("LeadDesk", "导出本时段："))))
        self.export_buttons: dict[str, QPushButton] = {}
        labels = {
            "xlsx": "Excel",
            "csv": "CSV",
            "open311-json": "Open311 JSON",
            "open311-xml": "Open311 XML",
        }
        for fmt in EXPORT_FORMATS:
            b = QPushButton(labels[fmt])
            b.setObjectName(f"export_{fmt}")
            b.clicked.connect(lambda _=False, f=fmt: self.ask_export(f))
            foot.addWidget(b)
            self.export_buttons[fmt] = b
        self.status = QLabel()
        self.status.setObjectName("figuresStatus")
        self.status.setWordWrap(True)
        foot.addWidget(self.status, 1)
        self.seat_mark = SeatMark("figuresSeatMark")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.seat_mark)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(foot)
        self.save_dialog: Callable[[str, str], str] = self._save_dialog
        self._shown: tuple[object, ...] = ()
        presenter.changed.connect(self.show_state)
        self.by.setCurrentIndex(list(BY_NAMES).index(st.by))
        self.show_state(st)

    # Input -----------------------------------------------------------------------------------
    def _period_changed(self, *_args: object) -> None:
        first, last = _pydate(self.first.date()), _pydate(self.last.date())
        st = self.presenter.state
        if (first, last) != (st.first, st.last):
            self.presenter.set_period(first, last)

    def _month_chosen(self, index: int) -> None:
        month = self.month.itemData(index)
        if isinstance(month, date):
            self.presenter.set_month(month)
            self.presenter.set_month_period(month)
            if self.chart is not None:
                self.presenter.load_trend()

    def _figure_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        measure = index.data(KEY_ROLE)
        if measure:
            row = self.rates_proxy.row_at(index.row())
            self.presenter.show_tickets(row.name, str(measure))

    def _ticket_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            ref: TicketRef = self.tickets_proxy.row_at(index.row())
            self.open_number.emit(ref.number)

    def _sample_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            cand: Candidate = self.hot_proxy.row_at(index.row())
            if cand.samples:
                self.open_number.emit(cand.samples[0])

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.trend_page:
            self.ensure_chart()
            if self.presenter.state.trend is None:
                self.presenter.load_trend()

    def ensure_chart(self) -> Any:
        if self.chart is None:
            from agent_app.ui.lead_desk.charts import TrendChart  # noqa: PLC0415 - pyqtgraph

            self.chart = TrendChart(self.trend_page)
            self.trend_layout.addWidget(self.chart)
            if self.presenter.state.trend is not None:
                self._draw_trend(self.presenter.state)
        return self.chart

    def _save_dialog(self, fmt: str, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr(QT_TRANSLATE_NOOP("LeadDesk", "导出")),
            suggested,
            f"{fmt} (*{EXPORT_SUFFIX[fmt]})",
        )
        return path

    def ask_export(self, fmt: str) -> None:
        st = self.presenter.state
        suggested = str(Path.home() / f"12345-{st.first}-{st.last}{EXPORT_SUFFIX[fmt]}")
        path = self.save_dialog(fmt, suggested)
        if path:
            self.presenter.export(fmt, Path(path))

    # Rendering ----------------------------------------------------------------------------------
    def _draw_trend(self, st: FiguresState) -> None:
        if self.chart is None or st.trend is None:
            return
        chosen: list[str] = []
        sel = self.rates_table.selectionModel().selectedRows()
        for index in sel:
            chosen.append(self.rates_proxy.row_at(index.row()).name)
        self.chart.show_trend(st.trend, chosen)

    def _show_rankings(self) -> None:
        st = self.presenter.state
        key = self.table_choice.currentData()
        for t in st.rankings:
            if t.table == key:
                self.rankings_model.set_rows(t.rows)
                self.rankings_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
                counts = {c: sum(1 for r in t.rows if r.cls == c) for c in CLASSES}
                self.rankings_caption.setText(
                    tr(QT_TRANSLATE_NOOP("LeadDesk", "{0}，上月 {1}：")).format(
                        t.month, t.previous_month
                    )
                    + "  ".join(f"{tr(c)} {n}" for c, n in counts.items())
                )
                return
        self.rankings_model.set_rows(())
        self.rankings_caption.setText("")

    def show_state(self, st: FiguresState) -> None:
        if st.month is not None:
            i = next(
                (k for k in range(self.month.count()) if self.month.itemData(k) == st.month), -1
            )
            if i >= 0 and i != self.month.currentIndex():
                self.month.setCurrentIndex(i)
        if (self.first.date(), self.last.date()) != (_qdate(st.first), _qdate(st.last)):
            for d, v in ((self.first, st.first), (self.last, st.last)):
                d.blockSignals(True)
                d.setDate(_qdate(v))
                d.blockSignals(False)
        if self._shown[:1] != (st.rates,):
            self.rates_model.set_rows(st.rates)
            self.rates_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
            if st.by == "township":
                self.choropleth.emit(
                    {
                        r.name: (
                            r.score,
                            tr(
                                QT_TRANSLATE_NOOP(
                                    "LeadDesk", "得分 {0}；响应率 {1}；解决率 {2}；满意率 {3}"
                                )
                            ).format(
                                "—" if r.score is None else f"{r.score:.1f}",
                                fraction(
                                    r.response_rate, r.counts.signed_in_time, r.counts.dispatches
                                ),
                                fraction(r.resolution_rate, r.counts.resolved, r.counts.callbacks),
                                fraction(r.satisfaction_rate, r.satisfied, r.counts.callbacks),
                            ),
                        )
                        for r in st.rates
                    }
                )
        if self._shown[1:2] != (st.tickets,):
            self.tickets_model.set_rows(st.tickets)
        self.tickets_title.setText(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "{0}：{1} 张（双击在右侧查看）")).format(
                st.tickets_title, len(st.tickets)
            )
            if st.tickets_title
            else tr(QT_TRANSLATE_NOOP("LeadDesk", "双击表中的数字，列出其背后的工单"))
        )
        if self._shown[2:3] != (st.rankings,):
            self._show_rankings()
        if self._shown[3:4] != (st.hotspots,):
            report = st.hotspots
            self.hot_model.set_rows(report.candidates if report else ())
            if report is not None:
                self.hot_caption.setText(
                    tr(
                        QT_TRANSLATE_NOOP(
                            "LeadDesk",
                            "{0} 每月一题候选：按超出本类近 {1} 个月中位数的件数排序；热点街乡 {2} 处，重复诉求 {3} 处。双击一行查看样例工单。",
                        )
                    ).format(
                        report.month,
                        report.baseline_months,
                        len(report.hotspots),
                        len(report.repeats),
                    )
                )
        if self._shown[4:5] != (st.trend,):
            self._draw_trend(st)
        self._shown = (st.rates, st.tickets, st.rankings, st.hotspots, st.trend)
        if not st.loading:
            self.seat_mark.show_outage(st.outage)
        busy = ", ".join(sorted(st.loading))
        if st.error:
            self.status.setText(st.error)
            self.status.setStyleSheet("color: #b71c1c;")
        else:
            self.status.setText(
                st.notice or (tr(QT_TRANSLATE_NOOP("LeadDesk", "正在计算…")) if busy else "")
            )
            self.status.setStyleSheet("")
        for b in self.export_buttons.values():
            b.setEnabled("export" not in st.loading)


# Conflicts -------------------------------------------------------------------------------------


def _value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


class ConflictsView(QWidget):
    """The conflicts (open first) and the selected one's two sides, field by field."""

    def __init__(self, presenter: ConflictsPresenter) -> None:
        super().__init__()
        self.setObjectName("conflictsView")
        self.presenter = presenter
        cols = [
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "编号")), lambda r: str(r["id"]), lambda r: r["id"]
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "工单号")),
                lambda r: r["number"],
                lambda r: r["number"],
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "发现时间")),
                lambda r: _short(r["detected_at"]),
                lambda r: r["detected_at"],
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "席位")), lambda r: r["seat"], lambda r: r["seat"]
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "字段")),
                lambda r: "、".join(r["fields"]),
                lambda r: ",".join(r["fields"]),
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "处理")),
                lambda r: (
                    tr(QT_TRANSLATE_NOOP("LeadDesk", "{0} 已处理（{1}）")).format(
                        r["resolved_by"], r["resolution"]
                    )
                    if r.get("resolved_at")
                    else tr(QT_TRANSLATE_NOOP("LeadDesk", "待处理"))
                ),
                lambda r: bool(r.get("resolved_at")),
                colour=lambda r: None if r.get("resolved_at") else RED.name(),
            ),
        ]
        self.model = Rows(cols, self)
        self.proxy = RowsProxy(self.model, self)
        self.table = table(self.proxy, "conflictsTable")
        self.table.selectionModel().currentRowChanged.connect(self._current)
        side_cols = [
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "字段")),
                lambda s: s["field"],
                lambda s: s["field"],
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "本席的值")),
                lambda s: _value(s["local"]),
                lambda s: _value(s["local"]),
            ),
            Col(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "中心的值")),
                lambda s: _value(s["remote"]),
                lambda s: _value(s["remote"]),
            ),
        ]
        self.sides_model = Rows(side_cols, self)
        self.sides = table(RowsProxy(self.sides_model, self), "conflictSides")
        self.keep_local = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "保留本席")))
        self.keep_local.setObjectName("keepLocal")
        self.keep_remote = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "保留中心")))
        self.keep_remote.setObjectName("keepRemote")
        self.edited = QLineEdit()
        self.edited.setObjectName("conflictEdited")
        self.edited.setPlaceholderText(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "或输入新值（仅单个字段）"))
        )
        self.keep_edited = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "采用新值")))
        self.keep_edited.setObjectName("keepEdited")
        self.keep_local.clicked.connect(lambda: presenter.resolve("local"))
        self.keep_remote.clicked.connect(lambda: presenter.resolve("remote"))
        self.keep_edited.clicked.connect(self._edited)
        self.message = QLabel()
        self.message.setObjectName("conflictsMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for w in (self.keep_local, self.keep_remote, self.edited, self.keep_edited):
            buttons.addWidget(w, 1 if w is self.edited else 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.sides)
        split.setSizes([380, 160])
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        presenter.changed.connect(self.show_state)
        self.show_state(presenter.state)

    def _current(self, index: QModelIndex, *_rest: object) -> None:
        if index.isValid():
            self.presenter.select(int(self.proxy.row_at(index.row())["id"]))

    def _edited(self) -> None:
        text = self.edited.text().strip()
        if text:
            self.presenter.resolve("edited", text)

    def show_state(self, st: ConflictsState) -> None:
        if tuple(self.model.row_at(i) for i in range(self.model.rowCount())) != st.rows:
            self.model.set_rows(st.rows)
        row = self.presenter.selected_row()
        self.sides_model.set_rows(row["sides"] if row else ())
        open_row = row is not None and not row.get("resolved_at") and not st.busy
        for b in (self.keep_local, self.keep_remote):
            b.setEnabled(open_row)
        one_field = row is not None and len(row["fields"]) == 1
        self.edited.setEnabled(open_row and one_field)
        self.keep_edited.setEnabled(open_row and one_field)
        self.message.setText(
            st.message or (tr(QT_TRANSLATE_NOOP("LeadDesk", "正在读取…")) if st.loading else "")
        )
        self.message.setStyleSheet("color: #b71c1c;" if st.error else "")


ITEM_NAMES = (  # the shipped scorecard's items (knowledge_base/qa/scorecard.toml)
    QT_TRANSLATE_NOOP("Scorecard", "分类准确"),
    QT_TRANSLATE_NOOP("Scorecard", "地址完整"),
    QT_TRANSLATE_NOOP("Scorecard", "派单单位正确"),
    QT_TRANSLATE_NOOP("Scorecard", "诉求描述完整"),
    QT_TRANSLATE_NOOP("Scorecard", "服务用语规范"),
    QT_TRANSLATE_NOOP("Scorecard", "个人信息保护"),
)
MARK_NAMES = (
    (1.0, QT_TRANSLATE_NOOP("LeadDesk", "正确")),
    (0.5, QT_TRANSLATE_NOOP("LeadDesk", "部分")),
    (0.0, QT_TRANSLATE_NOOP("LeadDesk", "错误")),
)


def clock(second: float) -> str:
    whole = int(second)
    return f"{whole // 60:02d}:{whole % 60:02d}"


class ScorecardView(QGroupBox):
    """The selected ticket's scorecard: per item its weight, a mark and the transcript moment it
    points at (指向所选行: the line selected in 通话记录; the moment's button shows it there),
    a comment, the total against the pass mark, 保存质检 and 退回给话务员.  ``selected_second``
    gives the second of the transcript line selected in the detail (None: none)."""

    def __init__(
        self,
        presenter: ScorecardPresenter,
        selected_second: Callable[[], float | None] = lambda: None,
    ) -> None:
        super().__init__(tr(QT_TRANSLATE_NOOP("LeadDesk", "质检评分")))
        self.setObjectName("scorecardView")
        self.presenter = presenter
        self.selected_second = selected_second
        grid = QGridLayout()
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setVerticalSpacing(2)
        self.marks: dict[str, QComboBox] = {}
        self.moments: dict[str, QPushButton] = {}
        self.points: dict[str, QPushButton] = {}
        for row, (key, name, weight) in enumerate(presenter.state.items):
            label = QLabel(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "{0}（{1} 分）")).format(
                    QCoreApplication.translate("Scorecard", name), f"{weight:g}"
                )
            )
            mark = QComboBox()
            mark.setObjectName(f"mark_{key}")
            for value, text in MARK_NAMES:
                mark.addItem(tr(text), value)
            mark.activated.connect(
                lambda _i, k=key, box=mark: presenter.set_mark(k, float(box.currentData()))
            )
            point = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "指向所选行")))
            point.setObjectName(f"point_{key}")
            point.setToolTip(tr(QT_TRANSLATE_NOOP("LeadDesk", "把此项指向通话记录中选中的那一行")))
            point.clicked.connect(lambda _c=False, k=key: self._point(k))
            moment = QPushButton("—")
            moment.setObjectName(f"moment_{key}")
            moment.setFlat(True)
            moment.clicked.connect(lambda _c=False, k=key: presenter.show_moment(k))
            grid.addWidget(label, row, 0)
            grid.addWidget(mark, row, 1)
            grid.addWidget(point, row, 2)
            grid.addWidget(moment, row, 3)
            self.marks[key] = mark
            self.points[key] = point
            self.moments[key] = moment
        grid.setColumnStretch(0, 1)
        self.comment = QLineEdit()
        self.comment.setObjectName("scorecardComment")
        self.comment.setPlaceholderText(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "备注（退回时写明要改正的内容）"))
        )
        self.comment.textEdited.connect(presenter.set_comment)
        self.total = QLabel()
        self.total.setObjectName("scorecardTotal")
        self.save = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "保存质检")))
        self.save.setObjectName("scorecardSave")
        self.send_back = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "退回给话务员")))
        self.send_back.setObjectName("scorecardReturn")
        self.save.clicked.connect(lambda: presenter.save())
        self.send_back.clicked.connect(lambda: presenter.save(return_to_operator=True))
        self.message = QLabel()
        self.message.setObjectName("scorecardMessage")
        self.message.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total, 1)
        bottom.addWidget(self.save)
        bottom.addWidget(self.send_back)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(grid)
        layout.addWidget(self.comment)
        layout.addLayout(bottom)
        layout.addWidget(self.message)
        presenter.changed.connect(self.show_state)
        self.show_state(presenter.state)

    def _point(self, key: str) -> None:
        self.presenter.set_moment(key, self.selected_second())

    def show_state(self, state: ScorecardState) -> None:
        marks, moments = dict(state.marks), dict(state.moments)
        ready = bool(state.number) and state.available and not state.busy
        for key, box in self.marks.items():
            i = box.findData(marks.get(key, 1.0))
            if box.currentIndex() != i:
                box.setCurrentIndex(i)
            box.setEnabled(ready)
            self.points[key].setEnabled(ready)
            second = moments.get(key)
            self.moments[key].setText("—" if second is None else clock(second))
            self.moments[key].setEnabled(second is not None)
        if self.comment.text() != state.comment:
            self.comment.setText(state.comment)
        self.comment.setEnabled(ready)
        self.save.setEnabled(ready)
        self.send_back.setEnabled(ready)
        verdict = (
            tr(QT_TRANSLATE_NOOP("LeadDesk", "合格"))
            if state.passed
            else tr(QT_TRANSLATE_NOOP("LeadDesk", "不合格"))
        )
        self.total.setText(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "工单 {0}：{1} 分（合格线 {2}）{3}")).format(
                state.number or "—", f"{state.score:g}", f"{state.pass_mark:g}", verdict
            )
        )
        self.total.setStyleSheet(f"color: {(GREEN if state.passed else RED).name()};")
        text = state.message
        if not state.available and not text:
            text = tr(QT_TRANSLATE_NOOP("LeadDesk", "质检记录在中心；连接中心后可评分"))
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {RED.name()};" if state.error else "")


def _returned_cols() -> list[Col]:
    return [
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "工单号")),
            lambda r: r["number"],
            lambda r: r["number"],
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "退回时间")),
            lambda r: _short(r["reviewed_at"]),
            lambda r: r["reviewed_at"],
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "得分")),
            lambda r: f"{r['score']:g}",
            lambda r: r["score"],
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "班长备注")),
            lambda r: r["comment"],
            lambda r: r["comment"],
        ),
    ]


class ReturnedToMeView(QWidget):
    """The operator's 退回给我 list: the returned tickets with the lead's comment; 打开工单,
    已改正，重新提交."""

    def __init__(self, presenter: ReturnedToMePresenter) -> None:
        super().__init__()
        self.setObjectName("returnedToMeView")
        self.presenter = presenter
        self.model = Rows(_returned_cols(), self)
        self.proxy = RowsProxy(self.model, self)
        self.table = table(self.proxy, "returnedToMeTable")
        self.table.selectionModel().currentRowChanged.connect(self._current)
        self.table.doubleClicked.connect(lambda _i: presenter.open_selected())
        self.open_button = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "打开工单")))
        self.open_button.setObjectName("returnedOpen")
        self.open_button.clicked.connect(presenter.open_selected)
        self.resubmit_button = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "已改正，重新提交")))
        self.resubmit_button.setObjectName("returnedResubmit")
        self.resubmit_button.clicked.connect(presenter.resubmit)
        self.refresh_button = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "刷新")))
        self.refresh_button.clicked.connect(presenter.refresh)
        self.comment = QLabel()
        self.comment.setObjectName("returnedComment")
        self.comment.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("returnedMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.resubmit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.comment)
        layout.addLayout(buttons)
        presenter.changed.connect(self.show_state)
        self.show_state(presenter.state)

    def _current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.proxy.row_at(current.row()) if current.isValid() else None
        self.presenter.select(int(row["id"]) if row is not None else None)

    def show_state(self, state: ReturnedState) -> None:
        rows = state.rows
        shown = tuple(self.model.row_at(i) for i in range(self.model.rowCount()))
        if shown != rows:
            self.model.set_rows(rows)
        row = self.presenter.selected_row()
        self.comment.setText(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "班长备注：{0}")).format(row["comment"]) if row else ""
        )
        chosen = row is not None and state.available and not state.busy
        self.open_button.setEnabled(row is not None)
        self.resubmit_button.setEnabled(chosen)
        self.refresh_button.setEnabled(state.available)
        text = state.message
        if not text and state.available and not state.loading and not rows:
            text = tr(QT_TRANSLATE_NOOP("LeadDesk", "没有退回给你的工单"))
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {RED.name()};" if state.error else "")

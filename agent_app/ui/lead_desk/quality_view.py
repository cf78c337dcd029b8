"""The lead's desk's 质检 tab: a shift's sample per operator (why each ticket was drawn, checked
or not; a row opens its ticket with the 质检评分 scorecard under the detail) and the QA scores
per operator over a period (a table and a pyqtgraph line chart of each operator's mean score
per week or day).  :func:`add_quality_tab` puts it in the desk."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from agent_app.domain import timeutil
from agent_app.services.qa_desk import SampleRow, Scores
from agent_app.services.qa_shifts import ALL, Shift
from agent_app.ui.lead_desk.quality_presenter import PERIODS, QualityPresenter, QualityState
from agent_app.ui.lead_desk.tables import Col, Rows, RowsProxy, table
from agent_app.ui.models.ticket_table import AMBER, GREEN, RED

if TYPE_CHECKING:
    from agent_app.ui.lead_desk.desk import LeadDesk

SHIFT_NAMES = (  # the shipped shifts' names (knowledge_base/qa/shifts.toml); others as written
    QT_TRANSLATE_NOOP("LeadDesk", "白班"),
    QT_TRANSLATE_NOOP("LeadDesk", "中班"),
    QT_TRANSLATE_NOOP("LeadDesk", "夜班"),
    QT_TRANSLATE_NOOP("LeadDesk", "全天"),
)
REASON_NAMES = {
    "short_description": QT_TRANSLATE_NOOP("LeadDesk", "描述过短"),
    "long_after_call": QT_TRANSLATE_NOOP("LeadDesk", "话后处理超时"),
    "category_changed": QT_TRANSLATE_NOOP("LeadDesk", "派单后改分类"),
    "unmasked_number": QT_TRANSLATE_NOOP("LeadDesk", "显示完整号码"),
    "transfer_without_reason": QT_TRANSLATE_NOOP("LeadDesk", "转接未注明原因"),
    "objection_upheld": QT_TRANSLATE_NOOP("LeadDesk", "异议成立"),
    "random": QT_TRANSLATE_NOOP("LeadDesk", "随机"),
}
SCORE_LINES = 6
TAB_TITLE = QT_TRANSLATE_NOOP("LeadDesk", "质检")


def tr(text: object) -> str:
    return QCoreApplication.translate("LeadDesk", str(text))


def shift_label(shift: Shift) -> str:
    """The name and the times: 白班 08:00–16:00, 夜班 22:00–次日06:00, 全天."""
    name = tr(shift.name)
    if shift.key == ALL:
        return name
    if shift.overnight:
        text = QT_TRANSLATE_NOOP("LeadDesk", "{0} {1}–次日{2}")
    else:
        text = QT_TRANSLATE_NOOP("LeadDesk", "{0} {1}–{2}")
    return tr(text).format(name, shift.start_text, shift.end_text)


def reasons_text(row: SampleRow) -> str:
    return "、".join(tr(REASON_NAMES.get(r, r)) for r in row.reasons)


def status_text(row: SampleRow) -> str:
    if row.checked is None:
        return "—"
    if not row.checked:
        return tr(QT_TRANSLATE_NOOP("LeadDesk", "未质检"))
    if row.returned:
        return tr(QT_TRANSLATE_NOOP("LeadDesk", "已退回（{0} 分）")).format(f"{row.score:g}")
    if row.passed:
        return tr(QT_TRANSLATE_NOOP("LeadDesk", "已质检（{0} 分）")).format(f"{row.score:g}")
    return tr(QT_TRANSLATE_NOOP("LeadDesk", "已质检（{0} 分，不合格）")).format(f"{row.score:g}")


def _status_colour(row: SampleRow) -> str | None:
    if not row.checked:
        return AMBER.name() if row.checked is False else None
    return (GREEN if row.passed and not row.returned else RED).name()


def _when(text: str) -> str:
    try:
        return f"{datetime.fromisoformat(text).astimezone(timeutil.SHANGHAI):%m-%d %H:%M}"
    except ValueError:
        return text or "—"


def _sample_cols() -> list[Col]:
    return [
        Col(tr(QT_TRANSLATE_NOOP("LeadDesk", "工单号")), lambda r: r.number, lambda r: r.number),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "话务员")),
            lambda r: r.operator,
            lambda r: r.operator,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "受理时间")),
            lambda r: _when(r.created_at),
            lambda r: r.created_at,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "抽样原因")),
            reasons_text,
            lambda r: (r.reasons == ("random",), reasons_text(r)),
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "质检状态")),
            status_text,
            lambda r: (bool(r.checked), r.score or 0.0),
            colour=_status_colour,
        ),
    ]


def _score_cols() -> list[Col]:
    return [
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "话务员")),
            lambda s: s.operator,
            lambda s: s.operator,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "质检数")), lambda s: str(s.checks), lambda s: s.checks
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "平均分")),
            lambda s: f"{s.mean:.1f}",
            lambda s: s.mean,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "不合格数")),
            lambda s: str(s.failed),
            lambda s: s.failed,
            colour=lambda s: RED.name() if s.failed else None,
        ),
        Col(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "退回")),
            lambda s: str(s.returned),
            lambda s: s.returned,
        ),
    ]


class ScoreChart(QWidget):
    """Each operator's mean QA score per period, one line each (the charts.py style)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg  # noqa: PLC0415 - heavy: only when the tab is first shown

        from agent_app.ui.lead_desk.charts import _delete_later  # noqa: PLC0415

        pg.setConfigOptions(antialias=True, background="w", foreground="#333")
        self._pg = pg
        before = set(QApplication.topLevelWidgets())
        self.plot = pg.PlotWidget()
        orphans = [  # pyqtgraph's parentless menus go with the chart (see charts.TrendChart)
            w
            for w in QApplication.topLevelWidgets()
            if w not in before and w is not self and w.parent() is None
        ]
        self.destroyed.connect(partial(_delete_later, orphans))
        self.plot.setObjectName("qaScorePlot")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("left", tr(QT_TRANSLATE_NOOP("LeadDesk", "平均分")))
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.legend = self.plot.addLegend(offset=(10, -10))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        self.names: list[str] = []

    def show_scores(self, scores: Scores, first: str = "", pass_mark: float | None = None) -> None:
        """Lines of ``first`` (the operator picked in the table) and the busiest others."""
        from agent_app.ui.lead_desk.charts import SERIES_COLOURS  # noqa: PLC0415

        pg = self._pg
        self.plot.clear()
        self.legend.clear()
        busiest = [s.operator for s in sorted(scores.rows, key=lambda s: (-s.checks, s.operator))]
        head = [first] if first in scores.series else []
        chosen = [n for n in head + busiest if n in scores.series]
        chosen = list(dict.fromkeys(chosen))[:SCORE_LINES]
        self.names = chosen
        labels = [p[5:] for p in scores.periods]  # MM-DD of the week's Monday or the day
        step = max(1, -(-len(labels) // 6))  # at most six labels: readable at 1366 wide
        self.plot.getAxis("bottom").setTicks(
            [[(i, t) for i, t in enumerate(labels) if (len(labels) - 1 - i) % step == 0]]
        )
        if pass_mark is not None and labels:
            self.plot.addLine(
                y=pass_mark, pen=pg.mkPen("#b71c1c", width=1, style=Qt.PenStyle.DashLine)
            )
        for i, name in enumerate(chosen):
            values = scores.series[name]
            xs = [x for x, v in enumerate(values) if v is not None]
            ys = [v for v in values if v is not None]
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            self.plot.plot(
                xs,
                ys,
                pen=pg.mkPen(colour, width=3 if name == first else 2),
                symbol="o",
                symbolSize=6,
                symbolBrush=colour,
                name=name,
            )
        lows = [v for n in chosen for v in scores.series[n] if v is not None]
        self.plot.setYRange(max(0.0, min(lows, default=60.0) - 5.0), 101)
        self.plot.setXRange(-0.3, max(len(labels) - 0.7, 0.7))


class QualityView(QWidget):
    """抽样 above (date, shift, operators; the rows; counts), 评分 below (period; the
    operators' table; the chart)."""

    def __init__(self, presenter: QualityPresenter, pass_mark: float | None = None) -> None:
        super().__init__()
        self.setObjectName("qualityView")
        self.presenter = presenter
        self.pass_mark = pass_mark
        st = presenter.state
        # The shift ---------------------------------------------------------------------------
        self.day = QDateEdit(QDate(st.day.year, st.day.month, st.day.day))
        self.day.setObjectName("qaDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.shift = QComboBox()
        self.shift.setObjectName("qaShift")
        for shift in presenter.roster.every:
            self.shift.addItem(shift_label(shift), shift.key)
        self.shift.setCurrentIndex(max(self.shift.findData(st.shift), 0))
        self.operators = QLineEdit()
        self.operators.setObjectName("qaOperators")
        self.operators.setClearButtonEnabled(True)
        self.operators.setPlaceholderText(
            tr(QT_TRANSLATE_NOOP("LeadDesk", "话务员工号，逗号分隔（空：本班全部）"))
        )
        self.draw_button = QPushButton(tr(QT_TRANSLATE_NOOP("LeadDesk", "抽样")))
        self.draw_button.setObjectName("qaDraw")
        self.draw_button.clicked.connect(self.draw)
        self.operators.returnPressed.connect(self.draw)
        top = QHBoxLayout()
        top.addWidget(self.day)
        top.addWidget(self.shift)
        top.addWidget(self.operators, 1)
        top.addWidget(self.draw_button)
        self.sample_model = Rows(_sample_cols(), self)
        self.sample_proxy = RowsProxy(self.sample_model, self)
        self.sample_table = table(self.sample_proxy, "qaSampleTable")
        self.sample_table.selectionModel().currentRowChanged.connect(self._open)
        self.sample_table.doubleClicked.connect(self._open)
        self.filter = QLineEdit()
        self.filter.setObjectName("qaSampleFilter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(tr(QT_TRANSLATE_NOOP("LeadDesk", "筛选…")))
        self.filter.textChanged.connect(self.sample_proxy.setFilterFixedString)
        self.counts = QLabel()
        self.counts.setObjectName("qaCounts")
        self.message = QLabel()
        self.message.setObjectName("qaMessage")
        self.message.setWordWrap(True)
        foot = QHBoxLayout()
        foot.addWidget(self.counts, 1)
        foot.addWidget(self.filter)
        sample_box = QWidget()
        sl = QVBoxLayout(sample_box)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addLayout(top)
        sl.addWidget(self.sample_table, 1)
        sl.addLayout(foot)
        sl.addWidget(self.message)
        # The scores --------------------------------------------------------------------------
        self.period = QComboBox()
        self.period.setObjectName("qaPeriod")
        for key, text, _back, _by in PERIODS:
            self.period.addItem(tr(text), key)
        self.period.setCurrentIndex([p[0] for p in PERIODS].index(st.period))
        self.period.activated.connect(
            lambda _i: presenter.set_period(str(self.period.currentData()))
        )
        self.scores_caption = QLabel()
        self.scores_caption.setObjectName("qaScoresCaption")
        self.scores_caption.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(QLabel(tr(QT_TRANSLATE_NOOP("LeadDesk", "质检评分"))))
        head.addWidget(self.period)
        head.addWidget(self.scores_caption, 1)
        self.scores_model = Rows(_score_cols(), self)
        self.scores_proxy = RowsProxy(self.scores_model, self)
        self.scores_table = table(self.scores_proxy, "qaScoresTable")
        header = self.scores_table.horizontalHeader()  # tight columns: all five in sight
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.scores_table.fontMetrics()
        for i, col in enumerate(_score_cols()):
            wide = max(metrics.horizontalAdvance(col.title), metrics.horizontalAdvance("op0000"))
            header.resizeSection(i, wide + 18)
        self.scores_table.selectionModel().currentRowChanged.connect(self._operator_picked)
        self.chart_slot = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_slot)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart: ScoreChart | None = None
        self.scores_split = scores_split = QSplitter(Qt.Orientation.Horizontal)
        scores_split.addWidget(self.scores_table)
        scores_split.addWidget(self.chart_slot)
        scores_split.setStretchFactor(0, 1)
        scores_split.setStretchFactor(1, 1)
        scores_split.setSizes([440, 320])  # every column of the table in sight
        scores_box = QWidget()
        cl = QVBoxLayout(scores_box)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addLayout(head)
        cl.addWidget(scores_split, 1)
        scores_split.setVisible(st.has_scores)  # the seat's copy has none: the caption says so
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(sample_box)
        split.addWidget(scores_box)
        split.setSizes([380, 300] if st.has_scores else [1000, 1])
        self.period.setEnabled(st.has_scores)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split, 1)
        self._operator = ""
        self._shown_scores: Scores | None = None
        presenter.changed.connect(self.show_state)
        self.show_state(st)

    # Input ---------------------------------------------------------------------------------
    def draw(self) -> None:
        d = self.day.date()
        self.presenter.set_shift(date(d.year(), d.month(), d.day()), str(self.shift.currentData()))
        self.presenter.set_operators(self.operators.text())
        self.presenter.draw()

    def _open(self, index: QModelIndex, *_rest: object) -> None:
        if index.isValid():
            self.presenter.select(self.sample_proxy.row_at(index.row()).ticket_id)

    def _operator_picked(self, index: QModelIndex, *_rest: object) -> None:
        self._operator = self.scores_proxy.row_at(index.row()).operator if index.isValid() else ""
        if self._shown_scores is not None and self.chart is not None:
            self.chart.show_scores(self._shown_scores, self._operator, self.pass_mark)

    def build_chart(self) -> None:
        if self.chart is None and self.presenter.state.has_scores:
            self.chart = ScoreChart()
            self.chart_layout.addWidget(self.chart, 1)
            if self._shown_scores is not None:
                self.chart.show_scores(self._shown_scores, self._operator, self.pass_mark)

    # Output --------------------------------------------------------------------------------
    def show_state(self, st: QualityState) -> None:
        rows = st.rows
        if tuple(self.sample_model.row_at(i) for i in range(self.sample_model.rowCount())) != rows:
            self.sample_model.set_rows(rows)
        self.draw_button.setEnabled(
            "sample" not in st.loading and self.presenter.source is not None
        )
        sampled, tickets, checked = self.presenter.counts()
        if st.sample is None:
            self.counts.setText("")
        elif checked is None:
            self.counts.setText(
                tr(
                    QT_TRANSLATE_NOOP(
                        "LeadDesk",
                        "抽样 {0} 张 / 本班 {1} 张（{2} 名话务员）；本席数据，质检记录在中心",
                    )
                ).format(sampled, tickets, len(st.sample.operators))
            )
        else:
            self.counts.setText(
                tr(
                    QT_TRANSLATE_NOOP(
                        "LeadDesk",
                        "抽样 {0} 张 / 本班 {1} 张（{2} 名话务员）；已质检 {3}，待质检 {4}",
                    )
                ).format(sampled, tickets, len(st.sample.operators), checked, sampled - checked)
            )
        if st.error or st.shifts_error:
            self.message.setText("\n".join(e for e in (st.shifts_error, st.error) if e))
            self.message.setStyleSheet(f"color: {RED.name()};")
        else:
            busy = "sample" in st.loading
            empty = st.sample is not None and not rows
            self.message.setText(
                tr(QT_TRANSLATE_NOOP("LeadDesk", "正在抽样…"))
                if busy
                else tr(QT_TRANSLATE_NOOP("LeadDesk", "本班没有工单"))
                if empty
                else ""
            )
            self.message.setStyleSheet("")
        scores = st.scores
        shown = tuple(self.scores_model.row_at(i) for i in range(self.scores_model.rowCount()))
        if scores is not None and shown != scores.rows:
            self.scores_model.set_rows(scores.rows)
        if scores is not None and scores is not self._shown_scores:
            self._shown_scores = scores
            if self.chart is not None:
                self.chart.show_scores(scores, self._operator, self.pass_mark)
        if st.scores_error:
            self.scores_caption.setText(st.scores_error)
            self.scores_caption.setStyleSheet(f"color: {RED.name()};")
        else:
            self.scores_caption.setStyleSheet("")
            if "scores" in st.loading:
                self.scores_caption.setText(tr(QT_TRANSLATE_NOOP("LeadDesk", "正在读取…")))
            elif scores is not None:
                self.scores_caption.setText(
                    tr(
                        QT_TRANSLATE_NOOP("LeadDesk", "{0} 至 {1}，每{2}平均分（虚线：合格线）")
                    ).format(
                        scores.first,
                        scores.last,
                        tr(QT_TRANSLATE_NOOP("LeadDesk", "周"))
                        if scores.by == "week"
                        else tr(QT_TRANSLATE_NOOP("LeadDesk", "日")),
                    )
                )


def add_quality_tab(desk: LeadDesk) -> QualityView:
    """The 质检 tab at the end of the desk's tabs: read on first show; a row opens its ticket
    in the desk's detail with the 质检评分 tab shown; a saved check reads the tab again."""
    presenter = QualityPresenter(desk.runner, desk.sources.qa, desk)
    card = desk.scorecard.card if desk.scorecard is not None else None
    view = QualityView(presenter, float(card.pass_mark) if card is not None else None)
    desk.tabs.addTab(view, tr(TAB_TITLE))

    def opened(ticket_id: str) -> None:
        desk.detail.open(ticket_id)
        desk.bottom.setCurrentWidget(desk.scorecard_view)

    presenter.open_requested.connect(opened)
    if desk.scorecard is not None:
        desk.scorecard.changed.connect(presenter.scorecard_changed)
    first = [True]

    def shown(_index: int) -> None:
        if desk.tabs.currentWidget() is view and first[0]:
            first[0] = False
            view.build_chart()
            presenter.draw()
            presenter.load_scores()

    desk.tabs.currentChanged.connect(shown)
    return view

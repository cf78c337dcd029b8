"""Screenshots of the lead's desk reading its seat's copy while the centre is away, for docs/:
a throwaway centre seeded up to now, the lead's seat synced with it once (its copy), then the
desk reading the centre through a TCP proxy that is cut: 审核队列 and the lights answered from
the seat, marked 本席数据（中心暂不可达，HH:MM 起）(needs PostgreSQL on 127.0.0.1:5432).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/lead_fallback_screenshots.py
"""

from __future__ import annotations

import faulthandler
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from agent_app.cli import main as cli
from agent_app.domain import timeutil
from agent_app.domain.roles import Role
from agent_app.paths import DataPaths
from agent_app.services.central_seed import seed_centre
from agent_app.settings import Settings
from agent_app.ui.compose import compose
from scripts._shots import DOCS, close_window, every_shot, seat_key, settle, wait
from tests.helpers.pg import throwaway_centre
from tests.helpers.proxy import FaultProxy


def main() -> None:
    faulthandler.dump_traceback_later(300, exit=True)  # a hang shows where it is
    app = QApplication.instance() or QApplication(["shots"])
    root = Path(tempfile.mkdtemp(prefix="fallback-shots-"))
    seat_key(root)
    with throwaway_centre() as db:
        until = timeutil.now().replace(second=0, microsecond=0)
        seed_centre(
            db.admin_target(), tickets=1500, months=2, seed=9, until=until, password_lookup=None
        )
        lead = db.add_login("fb_shot_lead", "lead")
        # The lead's seat synced once: its copy is what the centre held then.
        seat_dir = root / "seat"
        paths = DataPaths(seat_dir).ensure()
        Settings(paths.settings_file).seat = "LEADFB"
        code = cli(["sync", "--once", "--data-dir", str(seat_dir), "--central", db.url(lead)])
        if code != 0:
            raise SystemExit(f"the lead's seat did not sync ({code})")
        with FaultProxy(db.server.port) as proxy:
            url = f"postgresql://{lead}@127.0.0.1:{proxy.port}/{db.name}?connect_timeout=2"
            for lang, w, h in every_shot(app):
                proxy.set_mode("pass")
                shoot(app, seat_dir, url, proxy, lang, w, h)


def shoot(
    app: QApplication, seat_dir: Path, url: str, proxy: FaultProxy, lang: str, w: int, h: int
) -> None:
    paths = DataPaths(seat_dir).ensure()
    bench = compose(
        paths, Settings(paths.settings_file), role=Role.LEAD, demo=False, central=url,
        defer=False, start_after_paint=False,
    )  # fmt: skip
    bench.window.resize(w, h)
    bench.window.show()
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    queue = desk.review
    wait(app, lambda: queue.state.rows and desk.overdue.counts is not None)
    centre_total = queue.state.total
    proxy.set_mode("reset")  # the link goes
    queue.reload()
    desk.overdue.refresh(now=True)
    wait(app, lambda: not queue.state.loading and queue.state.outage is not None)
    wait(app, lambda: desk.overdue.outage is not None)
    st = queue.state
    sys.stderr.write(
        f"{lang} {w}: centre {centre_total}, seat {st.total} rows, {st.error!r}, "
        f"{desk.review_view.seat_mark.text()}\n"
    )
    desk.review_view.table.selectRow(0)
    wait(app, lambda: desk.detail.state.detail is not None)
    settle(app)
    desk.review_view.seat_mark.setFocus()
    settle(app)
    bench.window.grab().save(str(DOCS / f"screenshot-lead-fallback-{lang}-{w}x{h}.png"))
    close_window(app, bench)
    bench.runner.wait_idle()
    bench.workstation.close()


if __name__ == "__main__":
    main()

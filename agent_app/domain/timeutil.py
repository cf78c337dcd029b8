"""Beijing time (Asia/Shanghai, no daylight saving) and clocks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

try:
    from zoneinfo import ZoneInfo

    SHANGHAI: timezone | ZoneInfo = ZoneInfo("Asia/Shanghai")
except Exception:  # noqa: BLE001 - no tz database (some Windows installs): +08:00 is exact
    SHANGHAI = timezone(timedelta(hours=8), "CST")


def now() -> datetime:
    """The current time in Beijing."""
    return datetime.now(SHANGHAI)

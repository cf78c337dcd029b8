"""The figures that steer the city, computed at the centre: 三率 per unit, township, district,
department and utility; 四类排名; hotspots and 每月一题 candidates; the tickets behind a
figure.  Service functions for the command line and the lead's window (no Qt): each takes
a :class:`~agent_app.storage.central.connect.CentralTarget` (a lead or reporting login) and
returns plain dataclasses from :mod:`agent_app.domain.rates` or this package.

The centre counts (``central.report_*``, migration c0007; a report first folds the tickets
changed since the last one into the fact tables), the domain turns counts into rates,
scores, ranks and classes from ``knowledge_base/reports/rates.toml`` (docs/reports.md).
"""

from agent_app.services.reports.figures import (
    Candidate,
    Hotspot,
    HotspotReport,
    Period,
    RankingTable,
    Repeat,
    TicketRef,
    definitions,
    hotspots,
    month_period,
    parse_date,
    parse_month,
    period,
    rankings,
    rate_tickets,
    rates,
    refresh,
)

__all__ = [
    "Candidate",
    "Hotspot",
    "HotspotReport",
    "Period",
    "RankingTable",
    "Repeat",
    "TicketRef",
    "definitions",
    "hotspots",
    "month_period",
    "parse_date",
    "parse_month",
    "period",
    "rankings",
    "rate_tickets",
    "rates",
    "refresh",
]

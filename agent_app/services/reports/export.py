"""Exports of a period: Excel (the rates, the tickets and a definitions sheet), CSV (the
tickets), and Open311 GeoReport v2 ``service_requests`` in JSON and XML.

A ticket leaves the centre as an Open311 service request only: number, open/closed,
category, times, the place's address cut at the building, coordinates and the responsible
unit.  No caller, no phone, no description or words (they may name people), no notes.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from agent_app.domain.lifecycle import TERMINAL, Status
from agent_app.domain.privacy import redact_text
from agent_app.domain.rates import RateDefinitions, RateRow
from agent_app.errors import KnownError, UsageError
from agent_app.services.reports.figures import centre_read, definitions, period, rates

if TYPE_CHECKING:
    from agent_app.storage.central.connect import CentralTarget, PasswordLookup
    from agent_app.storage.central.link import CentralLink

FORMATS = ("xlsx", "csv", "open311-json", "open311-xml")
# The GeoReport v2 service request fields this export fills, in the spec's order.
OPEN311_FIELDS: tuple[str, ...] = (
    "service_request_id",
    "status",
    "service_name",
    "service_code",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "address",
    "lat",
    "long",
)
# Closed for Open311: the ticket's life is over (办结, answered, transferred, not accepted)
# or it was merged into another ticket.
CLOSED: frozenset[str] = frozenset({s.value for s in TERMINAL} | {Status.MERGED_DUPLICATE.value})
_HOUSEHOLD = re.compile(r"[0-9０-９一二三四五六七八九十零]+\s*(单元|室|户|层|楼层).*$")


def building_address(address: str) -> str:
    """The address down to the building: a flat or floor names a household, not a place."""
    return redact_text(_HOUSEHOLD.sub("", (address or "").strip())).strip()


def _w3(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


@dataclass(frozen=True)
class ServiceRequest:
    """One ticket as an Open311 GeoReport v2 service request (no personal data)."""

    service_request_id: str
    status: str  # open | closed
    service_name: str
    service_code: str
    agency_responsible: str
    requested_datetime: str
    updated_datetime: str
    address: str
    lat: float | None
    long: float | None


def service_requests(
    target: CentralTarget,
    first: date,
    last: date,
    *,
    password_lookup: PasswordLookup | None = None,
    link: CentralLink | None = None,
) -> list[ServiceRequest]:
    """The tickets created in the period as Open311 service requests, oldest first."""
    p = period(first, last)

    def read(conn: Any) -> list[Any]:
        return conn.execute(
            "SELECT * FROM central.report_export(%s, %s)", (p.start, p.end)
        ).fetchall()

    rows = centre_read(target, password_lookup, read, link=link)
    out = []
    for number, status, code, name, created, updated, address, lat, lon, unit, *_ in rows:
        out.append(
            ServiceRequest(
                service_request_id=number,
                status="closed" if status in CLOSED else "open",
                service_name=name.rsplit("/", 1)[-1] if name else "",
                service_code=code,
                agency_responsible=unit,
                requested_datetime=_w3(created),
                updated_datetime=_w3(updated),
                address=building_address(address),
                lat=lat,
                long=lon,
            )
        )
    return out


def open311_json(requests: Sequence[ServiceRequest]) -> str:
    """GeoReport v2 JSON: an array of service requests (the spec's JSON form)."""
    return json.dumps([asdict(r) for r in requests], ensure_ascii=False, indent=1) + "\n"


def open311_xml(requests: Sequence[ServiceRequest]) -> bytes:
    """GeoReport v2 XML: ``<service_requests><request>…</request></service_requests>``."""
    root = ET.Element("service_requests")
    for r in requests:
        el = ET.SubElement(root, "request")
        for name in OPEN311_FIELDS:
            value = getattr(r, name)
            ET.SubElement(el, name).text = "" if value is None else str(value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_csv(path: Path, requests: Sequence[ServiceRequest]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(OPEN311_FIELDS)
        for r in requests:
            w.writerow(["" if getattr(r, f) is None else getattr(r, f) for f in OPEN311_FIELDS])


RATE_COLUMNS = (
    "rank",
    "name",
    "kind",
    "tickets",
    "dispatches",
    "signed_in_time",
    "响应率",
    "upheld_objections",
    "callbacks",
    "resolved",
    "解决率",
    "satisfied",
    "满意率",
    "score",
)


def write_xlsx(
    path: Path,
    label: str,
    rows: Sequence[RateRow],
    requests: Sequence[ServiceRequest],
    defs: RateDefinitions,
) -> None:
    """Sheets 三率 (per unit), 工单 (the service requests) and 定义 (the definitions)."""
    from openpyxl import Workbook  # noqa: PLC0415 - only for this export

    wb = Workbook()
    ws = wb.active
    ws.title = "三率"
    ws.append([f"三率 {label}"])
    ws.append(list(RATE_COLUMNS))
    for row in rows:
        j = row.as_json()
        ws.append([j.get(c) for c in RATE_COLUMNS])
    ws.freeze_panes = "A3"
    tickets = wb.create_sheet("工单")
    tickets.append(list(OPEN311_FIELDS))
    for r in requests:
        tickets.append([getattr(r, f) for f in OPEN311_FIELDS])
    tickets.freeze_panes = "A2"
    sheet = wb.create_sheet("定义")
    sheet.append(["term", "definition"])
    for term, text in defs.as_rows():
        sheet.append([term, text])
    sheet.append(["period", label])
    sheet.append(["open311 status", "closed: " + ", ".join(sorted(CLOSED)) + "; open: any other"])
    sheet.append(
        [
            "personal data",
            "none: no caller, phone, description or notes; addresses cut at the building",
        ]
    )
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 110
    wb.save(path)


def export(
    target: CentralTarget,
    first: date,
    last: date,
    fmt: str,
    out: Path,
    *,
    defs: RateDefinitions | None = None,
    password_lookup: PasswordLookup | None = None,
    link: CentralLink | None = None,
) -> dict[str, Any]:
    """Write the period's export to ``out``; a summary (format, file, tickets, rows)."""
    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}")
    d = defs or definitions()
    requests = service_requests(target, first, last, password_lookup=password_lookup, link=link)
    rate_rows: list[RateRow] = []
    if fmt == "xlsx":
        rate_rows = rates(
            target, first, last, "unit", defs=d, password_lookup=password_lookup, link=link
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "open311-json":
            out.write_text(open311_json(requests), encoding="utf-8")
        elif fmt == "open311-xml":
            out.write_bytes(open311_xml(requests))
        elif fmt == "csv":
            write_csv(out, requests)
        else:
            write_xlsx(out, period(first, last).label, rate_rows, requests, d)
    except OSError as exc:
        raise KnownError(
            f"cannot write {out}: {exc.strerror or exc}; choose another --out"
        ) from None
    return {"format": fmt, "file": str(out), "tickets": len(requests), "rate_rows": len(rate_rows)}

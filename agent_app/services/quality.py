"""Quality checks (查缺补漏) at the centre: the sample of an operator's shift, the scorecard,
returning a ticket to its operator and the operator's resubmission, scores over time.

The scorecard's items, weights, pass mark and the sampling rules live in
``knowledge_base/qa/scorecard.toml``.  Checks are rows of ``central.qa_results`` (c0005):
leads write them (the reviewer is the login), operators read those of their own tickets and
mark a returned one corrected with ``central.qa_resubmit``.  Every function takes an open
psycopg connection to the centre (the lead's or the operator's login).
"""

from __future__ import annotations

import json
import random
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from agent_app.errors import ConfigError, UsageError
from agent_app.paths import knowledge_base_dir

SCORECARD_FILE = "qa/scorecard.toml"
RULES = (
    "short_description",
    "long_after_call",
    "category_changed",
    "unmasked_number",
    "transfer_without_reason",
    "objection_upheld",
)
MARKS = (0.0, 0.5, 1.0)


@dataclass(frozen=True)
class Item:
    key: str
    name: str
    weight: float


@dataclass(frozen=True)
class Scorecard:
    items: tuple[Item, ...]
    pass_mark: float
    random_per_shift: int
    min_description: int
    after_call_minutes: float
    rules: tuple[str, ...]

    def score(self, marks: dict[str, float]) -> tuple[float, bool, list[dict[str, Any]]]:
        """(score, passed, items) for the lead's marks (0, 0.5 or 1 per item key)."""
        unknown = sorted(set(marks) - {i.key for i in self.items})
        if unknown:
            raise UsageError(f"unknown scorecard item(s): {', '.join(unknown)}")
        items = []
        total = 0.0
        for item in self.items:
            mark = marks.get(item.key)
            if mark not in MARKS:
                raise UsageError(f"mark {item.key} with 0, 0.5 or 1 (got {mark!r})")
            total += item.weight * mark
            items.append({"item": item.key, "weight": item.weight, "mark": mark})
        return round(total, 1), total >= self.pass_mark, items


def load_scorecard(path: Path | None = None) -> Scorecard:
    path = path or knowledge_base_dir() / SCORECARD_FILE
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        items = tuple(Item(str(i["key"]), str(i["name"]), float(i["weight"])) for i in doc["items"])
        sampling = doc.get("sampling", {})
        card = Scorecard(
            items=items,
            pass_mark=float(doc["pass_mark"]),
            random_per_shift=int(sampling.get("random", 2)),
            min_description=int(sampling.get("min_description", 20)),
            after_call_minutes=float(sampling.get("after_call_minutes", 10)),
            rules=tuple(sampling.get("rules", RULES)),
        )
    except (OSError, KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not a usable scorecard ({exc}); fix the file.") from None
    if abs(sum(i.weight for i in card.items) - 100) > 1e-6:
        raise ConfigError(f"{path}: the items' weights must add up to 100.")
    bad = sorted(set(card.rules) - set(RULES))
    if bad:
        raise ConfigError(f"{path}: unknown sampling rule(s) {', '.join(bad)}; use {RULES}.")
    return card


def _rule_sql(card: Scorecard) -> dict[str, str]:
    return {
        # the description through the masked view: no app login reads central.tickets.data
        "short_description": "(SELECT char_length(coalesce(m.data ->> 'description', '')) "
        "FROM central.tickets_masked m WHERE m.id = t.id) < "
        f"{int(card.min_description)}",
        "long_after_call": "EXISTS (SELECT 1 FROM central.ticket_events e WHERE e.ticket_id = "
        "t.id AND e.kind = 'transition' AND e.from_status = 'INTAKE' AND e.at - t.created_at "
        f"> make_interval(secs => {float(card.after_call_minutes) * 60}))",
        "category_changed": "EXISTS (SELECT 1 FROM central.ticket_events e WHERE e.ticket_id "
        "= t.id AND e.kind = 'field_change' AND (e.data -> 'fields') ?| "
        "ARRAY['category_code', 'category_name'] AND e.at > (SELECT min(d.at) FROM "
        "central.ticket_events d WHERE d.ticket_id = t.id AND d.to_status = 'DISPATCHED'))",
        "unmasked_number": "EXISTS (SELECT 1 FROM central.ticket_events e WHERE e.ticket_id = "
        "t.id AND e.kind = 'unmask')",
        "transfer_without_reason": "t.status = 'TRANSFERRED_EMERGENCY' AND NOT EXISTS (SELECT 1 "
        "FROM central.ticket_events e WHERE e.ticket_id = t.id AND e.to_status = "
        "'TRANSFERRED_EMERGENCY' AND coalesce(e.data ->> 'line', '') <> '')",
        "objection_upheld": "EXISTS (SELECT 1 FROM central.ticket_events e WHERE e.ticket_id = "
        "t.id AND e.data ->> 'ruling' = 'upheld')",
    }


def sample_shift(
    conn: Any,
    operator: str,
    start: datetime,
    end: datetime,
    *,
    card: Scorecard | None = None,
    seed: int | None = None,
) -> list[dict[str, Any]]:
    """The tickets to check of ``operator``'s shift [start, end): every one a rule flags (with
    the rules' names) and ``random`` others at random."""
    card = card or load_scorecard()
    rules = _rule_sql(card)
    flags = ", ".join(f"({rules[r]}) AS {r}" for r in card.rules) or "NULL AS none"
    rows = conn.execute(
        f"SELECT t.id, t.number, {flags} FROM central.tickets t "
        "WHERE t.operator_id = %s AND t.created_at >= %s AND t.created_at < %s "
        "ORDER BY t.created_at, t.id",
        (operator, start, end),
    ).fetchall()
    picked = []
    rest = []
    for row in rows:
        reasons = [r for r, hit in zip(card.rules, row[2:], strict=False) if hit]
        if reasons:
            picked.append({"ticket_id": row[0], "number": row[1], "reasons": reasons})
        else:
            rest.append(row)
    rng = random.Random(seed)
    for row in rng.sample(rest, min(card.random_per_shift, len(rest))):
        picked.append({"ticket_id": row[0], "number": row[1], "reasons": ["random"]})
    return picked


def record_check(
    conn: Any,
    number: str,
    marks: dict[str, float],
    *,
    comment: str = "",
    return_to_operator: bool = False,
    moments: dict[str, float] | None = None,
    card: Scorecard | None = None,
) -> dict[str, Any]:
    """Score one ticket (as the lead's login); ``moments`` point an item at a second of the
    saved transcript (the desk opens the transcript there)."""
    card = card or load_scorecard()
    score, passed, items = card.score(marks)
    for item in items:
        if moments and item["item"] in moments:
            item["moment_s"] = float(moments[item["item"]])
    if return_to_operator and not comment.strip():
        raise UsageError("say what to correct in the comment when returning a ticket")
    row = conn.execute(
        "INSERT INTO central.qa_results (ticket_id, operator_id, score, passed, items, "
        "comment, returned) SELECT t.id, t.operator_id, %s, %s, %s::jsonb, %s, %s "
        "FROM central.tickets t WHERE t.number = %s RETURNING id, ticket_id, reviewer",
        (
            score,
            passed,
            json.dumps(items, ensure_ascii=False),
            comment.strip(),
            return_to_operator,
            number,
        ),
    ).fetchone()
    if row is None:
        raise UsageError(f"no ticket {number} at the centre")
    return {
        "id": row[0],
        "ticket_id": row[1],
        "reviewer": row[2],
        "score": score,
        "passed": passed,
        "returned": return_to_operator,
    }


def returned_to_me(conn: Any) -> list[dict[str, Any]]:
    """The operator's 退回给我 list: checks of the login's tickets returned and not yet
    resubmitted (row-level security keeps it to the login's own tickets)."""
    rows = conn.execute(
        "SELECT q.id, t.number, q.score, q.comment, q.items, q.reviewed_at, q.reviewer "
        "FROM central.qa_results q JOIN central.tickets t ON t.id = q.ticket_id "
        "WHERE q.returned AND q.resubmitted_at IS NULL AND t.created_by = session_user "
        "ORDER BY q.reviewed_at, q.id"
    ).fetchall()
    return [
        {
            "id": r[0],
            "number": r[1],
            "score": float(r[2]),
            "comment": r[3],
            "items": r[4],
            "reviewed_at": r[5].isoformat(),
            "reviewer": r[6],
        }
        for r in rows
    ]


def returned_count(conn: Any) -> int:
    """How many checks :func:`returned_to_me` lists, counted at the centre (one row back: the
    window asks after its sync cycles)."""
    row = conn.execute(
        "SELECT count(*) FROM central.qa_results q JOIN central.tickets t ON t.id = q.ticket_id "
        "WHERE q.returned AND q.resubmitted_at IS NULL AND t.created_by = session_user"
    ).fetchone()
    return int(row[0]) if row else 0


def resubmit(conn: Any, check_id: int) -> dict[str, Any]:
    """The operator corrected the ticket: the check is no longer waiting."""
    import psycopg  # noqa: PLC0415 - heavy; only when talking to the centre

    try:
        row = conn.execute("SELECT central.qa_resubmit(%s)", (check_id,)).fetchone()
    except (psycopg.errors.NoDataFound, psycopg.errors.ObjectNotInPrerequisiteState) as exc:
        raise UsageError(f"{exc.diag.message_primary}.") from None
    return dict(row[0]) if row else {}


def scores_by_operator(
    conn: Any, since: datetime, until: datetime | None = None, *, by: str = "week"
) -> list[dict[str, Any]]:
    """Average QA score per operator per week (``by="day"``: per day, Shanghai time) of the
    checks made since ``since`` (and before ``until``): the lead's view over time.  Each row
    also has the failed and returned checks and the scores' ``total`` (exact means over
    several periods)."""
    if by not in ("week", "day"):
        raise UsageError(f"scores by {by!r}: use week or day")
    rows = conn.execute(
        f"SELECT operator_id, date_trunc('{by}', reviewed_at AT TIME ZONE 'Asia/Shanghai')::date, "
        "count(*), round(avg(score), 1), count(*) FILTER (WHERE NOT passed), "
        "count(*) FILTER (WHERE returned), sum(score) "
        "FROM central.qa_results WHERE reviewed_at >= %s "
        "AND (%s::timestamptz IS NULL OR reviewed_at < %s) GROUP BY 1, 2 ORDER BY 1, 2",
        (since, until, until),
    ).fetchall()
    return [
        {
            "operator": r[0],
            "week": r[1].isoformat(),
            "period": r[1].isoformat(),
            "checks": r[2],
            "average": float(r[3]),
            "failed": r[4],
            "returned": r[5],
            "total": float(r[6]),
        }
        for r in rows
    ]

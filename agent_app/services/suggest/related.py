"""Related tickets: same caller, same place and category, near-duplicate text; repeat counts.

Tickets are plain :class:`TicketRecord` values (the storage layer converts its rows), so this
module runs the same on the seat's SQLite history and in tests.  Text similarity works on
character bigrams of the normalised text (Chinese needs no segmentation for this): the token
set ratio of rapidfuzz, which stays high when one caller tells the same problem with more or
fewer details than another.  The thresholds were chosen on ``tests/data/duplicates_dev.csv``
and measured on ``tests/data/duplicates_test.csv`` (``benchmarks/eval_duplicates.py``).  Text alone
cannot tell "same place, other problem" from a retold problem (precision about 0.5 at recall
about 0.94 on the hard test pairs), so the threshold favours recall: the form shows a warning
the operator dismisses in one key, and the place + category signals sharpen it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

DUPLICATE_THRESHOLD = 0.45
"""Text similarity at or above which two tickets are flagged as probable duplicates."""
NEARBY_DUPLICATE_THRESHOLD = 0.35
"""Lower bar when the tickets are also at the same place with the same category."""
SIMILAR_THRESHOLD = 0.35
"""Text similarity at or above which a ticket is shown as related."""
DEFAULT_RADIUS_M = 300.0
DEFAULT_DAYS = 30

_DROP = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
_FILLERS = ("您好", "你好", "请问", "麻烦", "谢谢", "市民来电", "来电人", "反映", "诉求")


@dataclass(frozen=True)
class TicketRecord:
    """What the detector needs to know about a ticket."""

    ticket_id: str
    text: str
    created_at: datetime
    caller_key: str | None = None
    """An opaque key of the caller (e.g. a hash of the phone number), never the number itself."""
    category: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class Related:
    """A candidate that is related to the ticket, with why."""

    ticket_id: str
    kinds: set[str] = field(default_factory=set)
    """Subset of ``same_caller``, ``nearby_same_category``, ``similar_text``."""
    text_similarity: float = 0.0
    distance_m: float | None = None
    is_duplicate: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.text_similarity + 0.3 * self.is_duplicate + 0.1 * len(self.kinds)


@dataclass(frozen=True)
class RepeatCounts:
    """Repeat-complaint counters over the last N days (the ticket itself excluded)."""

    caller_tickets: int = 0
    caller_same_category: int = 0
    place_same_category: int = 0


def text_key(text: str) -> str:
    """Normalised text for comparison: NFKC, lower case, no punctuation or greetings."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    for filler in _FILLERS:
        folded = folded.replace(filler, "")
    return _DROP.sub("", folded)


@lru_cache(maxsize=20_000)
def bigram_string(text: str) -> str:
    """Space-separated character bigrams of :func:`text_key` (a single char stays; cached)."""
    key = text_key(text)
    if len(key) < 2:
        return key
    return " ".join(key[i : i + 2] for i in range(len(key) - 1))


def text_similarity(a: str, b: str) -> float:
    """Similarity 0–1 of two ticket texts (bigram token-set ratio)."""
    from rapidfuzz import fuzz  # noqa: PLC0415 - keeps import light

    return float(fuzz.token_set_ratio(bigram_string(a), bigram_string(b))) / 100.0


def similarities(text: str, others: Sequence[str]) -> list[float]:
    """:func:`text_similarity` of ``text`` against many texts at once (vectorised)."""
    if not others:
        return []
    from rapidfuzz import fuzz, process  # noqa: PLC0415 - keeps import light

    query = bigram_string(text)
    row = process.cdist([query], [bigram_string(o) for o in others], scorer=fuzz.token_set_ratio)
    return [float(v) / 100.0 for v in row[0]]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def _distance(a: TicketRecord, b: TicketRecord) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    return distance_m(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]


def _in_window(ticket: TicketRecord, other: TicketRecord, days: int) -> bool:
    return abs(ticket.created_at - other.created_at) <= timedelta(days=days)


def find_related(
    ticket: TicketRecord,
    candidates: Iterable[TicketRecord],
    *,
    days: int = DEFAULT_DAYS,
    radius_m: float = DEFAULT_RADIUS_M,
    similar_threshold: float = SIMILAR_THRESHOLD,
    duplicate_threshold: float = DUPLICATE_THRESHOLD,
    limit: int = 20,
) -> list[Related]:
    """Tickets related to ``ticket`` in the last ``days`` days, most relevant first."""
    pool = [
        c for c in candidates if c.ticket_id != ticket.ticket_id and _in_window(ticket, c, days)
    ]
    sims = similarities(ticket.text, [c.text for c in pool])
    out: list[Related] = []
    for cand, sim in zip(pool, sims, strict=True):
        rel = Related(cand.ticket_id, text_similarity=sim)
        if ticket.caller_key and cand.caller_key == ticket.caller_key:
            rel.kinds.add("same_caller")
            rel.reasons.append("同一来电人")
        dist = _distance(ticket, cand)
        rel.distance_m = dist
        same_category = bool(ticket.category) and cand.category == ticket.category
        nearby = dist is not None and dist <= radius_m and same_category
        if nearby:
            rel.kinds.add("nearby_same_category")
            rel.reasons.append(f"同类问题，相距约{round(dist or 0.0)}米")
        if sim >= similar_threshold:
            rel.kinds.add("similar_text")
            rel.reasons.append(f"描述相似度{sim:.0%}")
        rel.is_duplicate = sim >= duplicate_threshold or (
            nearby and sim >= NEARBY_DUPLICATE_THRESHOLD
        )
        if rel.is_duplicate:
            rel.reasons.append("疑似重复工单，可合并或关联")
        if rel.kinds:
            out.append(rel)
    out.sort(key=lambda r: (-r.score, r.ticket_id))
    return out[:limit]


def count_repeats(
    ticket: TicketRecord,
    history: Iterable[TicketRecord],
    *,
    days: int = DEFAULT_DAYS,
    radius_m: float = DEFAULT_RADIUS_M,
) -> RepeatCounts:
    """How often this caller, and this place with this category, came up in the window."""
    caller = caller_cat = place_cat = 0
    for other in history:
        if other.ticket_id == ticket.ticket_id or not _in_window(ticket, other, days):
            continue
        same_category = bool(ticket.category) and other.category == ticket.category
        if ticket.caller_key and other.caller_key == ticket.caller_key:
            caller += 1
            caller_cat += same_category
        dist = _distance(ticket, other)
        if same_category and dist is not None and dist <= radius_m:
            place_cat += 1
    return RepeatCounts(caller, caller_cat, place_cat)

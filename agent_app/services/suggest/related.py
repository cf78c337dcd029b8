"""Related tickets: same caller, same place and category, near-duplicate text; repeat counts.

Tickets are plain :class:`TicketRecord` values (the storage layer converts its rows), so this
module runs the same on the seat's SQLite history and in tests.  Text similarity works on
character bigrams of the normalised text (Chinese needs no segmentation for this): the token
set ratio of rapidfuzz, which stays high when one caller tells the same problem with more or
fewer details than another.

Text alone cannot tell "same place, other problem" from a retold problem: on the development
pairs the best whole-text threshold reaches precision 0.43 at recall 0.75, and leaving the place
names out of the text (:func:`problem_key`) 0.50 at 0.92.  The duplicate decision therefore
adjusts the problem-text similarity by the other signals (:func:`duplicate_score`): the same
category or another one, the same place (same township, or within the radius) or another one
(another township or district, or far apart), the same caller, and the spot the texts name
below the township (the same compound, building or road, or another one: :func:`same_spot`);
an unknown field counts neither way.  Candidates outside the time window are never duplicates (a problem told again months later
is a repeat complaint, see :func:`count_repeats`).  The weights and the threshold were chosen on
``tests/data/duplicates_dev.csv`` only and then measured once on ``tests/data/duplicates_test.csv``
(``benchmarks/eval_duplicates.py``; figures in ``docs/suggest.md``).
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
"""Duplicate score (:func:`duplicate_score`) at or above which a candidate is a probable
duplicate; with no category, place or caller known the score is the problem-text similarity.
Chosen with :data:`DUPLICATE_WEIGHTS` by F1 on the development pairs."""
FAR_M = 2_000.0
"""Two points further apart than this are another place (when no township says otherwise)."""
SIMILAR_THRESHOLD = 0.35
"""Text similarity at or above which a ticket is shown as related."""
DEFAULT_RADIUS_M = 300.0
DEFAULT_DAYS = 30

_DROP = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
_PLACE = re.compile(
    r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff]{1,6}?"
    r"(?:街道|地区|区|县|镇|乡|大街|路|胡同|小区|家园|花园|公寓|广场|号院|号楼|单元)"
    r"(?:[0-9一二三四五六七八九十]+(?:号院|号楼|区|号))?"
)
"""Place names (district, township, road, compound, building) inside a ticket text."""
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
    district: str | None = None
    township: str | None = None
    """District and township (街道/乡镇) names or codes as the ticket's place fields hold them."""


@dataclass(frozen=True)
class DuplicateWeights:
    """How much each signal adds to (or takes from) the text similarity (default: nothing)."""

    same_category: float = 0.0
    other_category: float = 0.0
    same_place: float = 0.0
    other_place: float = 0.0
    same_caller: float = 0.0
    same_spot: float = 0.0
    """Both texts name the same spot below the township (compound, building, road)."""
    other_spot: float = 0.0
    """Both texts name a spot below the township, and not the same one."""

    def to_json(self) -> dict[str, float]:
        return {
            "same_category": self.same_category,
            "other_category": self.other_category,
            "same_place": self.same_place,
            "other_place": self.other_place,
            "same_caller": self.same_caller,
            "same_spot": self.same_spot,
            "other_spot": self.other_spot,
        }


DUPLICATE_WEIGHTS = DuplicateWeights(
    other_category=0.2, other_place=0.2, same_spot=0.1, other_spot=0.3
)
"""The weights shipped, chosen on the development pairs with :data:`DUPLICATE_THRESHOLD`
(``benchmarks/eval_duplicates.py``; a unit test checks that they still are that choice).  On
those pairs another category or another township takes 0.2 off, another spot below the
township (compound, building, road: :func:`same_spot`) 0.3, and the same spot adds 0.1; the
same category, township or caller adds nothing beyond what the text already says."""


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
    duplicate_score: float = 0.0
    """Text similarity adjusted by category, place and caller (see :func:`duplicate_score`)."""

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


def problem_key(text: str) -> str:
    """:func:`text_key` without the place names, so that what is compared is the problem.

    Two tickets about one building share its long address whatever their problem; the place
    is judged by the place fields instead (:func:`same_place`).  A rough pattern (a few
    characters before 区/街道/路/小区/号楼 …) is enough: both texts lose the same kind of words.
    """
    return _PLACE.sub("", text_key(text))


@lru_cache(maxsize=20_000)
def problem_bigrams(text: str) -> str:
    """Space-separated character bigrams of :func:`problem_key` (cached)."""
    key = problem_key(text)
    if len(key) < 2:
        return key
    return " ".join(key[i : i + 2] for i in range(len(key) - 1))


def problem_similarity(a: str, b: str) -> float:
    """Similarity 0–1 of what two tickets say is wrong (place names left out)."""
    from rapidfuzz import fuzz  # noqa: PLC0415 - keeps import light

    return float(fuzz.token_set_ratio(problem_bigrams(a), problem_bigrams(b))) / 100.0


MIN_SHARED = 0.1
"""Share of the shorter text's character bigrams that the other must contain before the two
are scored at all (every hand-labelled duplicate pair shares 0.19 or more; two unrelated
citizen messages rarely 0.1)."""


@lru_cache(maxsize=20_000)
def bigram_set(text: str) -> frozenset[str]:
    """The set of character bigrams of the normalised text (cached)."""
    return frozenset(bigram_string(text).split())


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """``|a ∩ b| / min(|a|, |b|)``: 1 when one text's bigrams are all in the other."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def text_similarity(a: str, b: str) -> float:
    """Similarity 0–1 of two ticket texts (bigram token-set ratio)."""
    from rapidfuzz import fuzz  # noqa: PLC0415 - keeps import light

    return float(fuzz.token_set_ratio(bigram_string(a), bigram_string(b))) / 100.0


def _ratios(query: str, others: list[str]) -> list[float]:
    """Token-set ratios 0–1 of one bigram string against many (vectorised)."""
    if not others:
        return []
    from rapidfuzz import fuzz, process  # noqa: PLC0415 - keeps import light

    row = process.cdist([query], others, scorer=fuzz.token_set_ratio)
    return [float(v) / 100.0 for v in row[0]]


def similarities(text: str, others: Sequence[str]) -> list[float]:
    """:func:`text_similarity` of ``text`` against many texts at once (vectorised)."""
    return _ratios(bigram_string(text), [bigram_string(o) for o in others])


def problem_similarities(text: str, others: Sequence[str]) -> list[float]:
    """:func:`problem_similarity` of ``text`` against many texts at once (vectorised)."""
    return _ratios(problem_bigrams(text), [problem_bigrams(o) for o in others])


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


def _known(value: str | None) -> str:
    return (value or "").strip()


def same_category(a: TicketRecord, b: TicketRecord) -> bool | None:
    """True / False when both tickets have a category, None when either is unknown."""
    ca, cb = _known(a.category), _known(b.category)
    if not ca or not cb:
        return None
    return ca == cb


_ADMIN = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:区|县|街道|地区|镇|乡)$")
_SPOT_SUFFIX = re.compile(
    r"(?:街道|地区|大街|路|胡同|小区|家园|花园|公寓|广场|号院|号楼|单元|区|县|镇|乡|号)+$"
)
SAME_SPOT = 0.75
"""Share of the shorter spot name's characters the other must hold to be the same spot
(德外大街 / 德胜门外大街: 1.0); below :data:`OTHER_SPOT` it is another spot
(东直门外大街 / 德胜门外大街: 0.5 after the shared suffix).  Fixed, not tuned."""
OTHER_SPOT = 0.55


@lru_cache(maxsize=20_000)
def spots(text: str) -> tuple[str, ...]:
    """The places below the township a text names (compound, building, road), without the
    generic suffix: ``望京西园三区5号楼`` → ``望京西园三区5``; district and township names left out."""
    out = []
    for match in _PLACE.finditer(text_key(text)):
        token = match.group(0)
        if _ADMIN.match(token):
            continue
        stem = _SPOT_SUFFIX.sub("", token)
        if len(stem) >= 2:
            out.append(stem)
    return tuple(out)


def same_spot(a: TicketRecord, b: TicketRecord) -> bool | None:
    """True / False when both texts name a spot below the township, None otherwise."""
    sa, sb = spots(a.text), spots(b.text)
    if not sa or not sb:
        return None
    best = 0.0
    for x in sa:
        for y in sb:
            short, long_ = (x, y) if len(x) <= len(y) else (y, x)
            best = max(best, sum(c in long_ for c in short) / len(short))
    if best >= SAME_SPOT:
        return True
    if best < OTHER_SPOT:
        return False
    return None


def same_place(a: TicketRecord, b: TicketRecord, radius_m: float = DEFAULT_RADIUS_M) -> bool | None:
    """Whether two tickets are at the same place; None when the fields cannot tell.

    Same: within ``radius_m`` of each other, or the same township.  Another place: another
    township, another district, or more than :data:`FAR_M` apart.
    """
    dist = _distance(a, b)
    if dist is not None and dist <= radius_m:
        return True
    ta, tb = _known(a.township), _known(b.township)
    if ta and tb:
        return ta == tb
    da, db = _known(a.district), _known(b.district)
    if da and db and da != db:
        return False
    if dist is not None and dist > FAR_M:
        return False
    return None


def duplicate_score(
    ticket: TicketRecord,
    other: TicketRecord,
    similarity: float,
    *,
    radius_m: float = DEFAULT_RADIUS_M,
    weights: DuplicateWeights = DUPLICATE_WEIGHTS,
) -> float:
    """The text similarity plus or minus the category, place and caller evidence."""
    score = similarity
    cat = same_category(ticket, other)
    if cat is not None:
        score += weights.same_category if cat else -weights.other_category
    place = same_place(ticket, other, radius_m)
    if place is not None:
        score += weights.same_place if place else -weights.other_place
    if ticket.caller_key and other.caller_key == ticket.caller_key:
        score += weights.same_caller
    if (weights.same_spot or weights.other_spot) and similarity > 0.0:
        spot = same_spot(ticket, other)
        if spot is not None:
            score += weights.same_spot if spot else -weights.other_spot
    return score


def find_related(
    ticket: TicketRecord,
    candidates: Iterable[TicketRecord],
    *,
    days: int = DEFAULT_DAYS,
    radius_m: float = DEFAULT_RADIUS_M,
    similar_threshold: float = SIMILAR_THRESHOLD,
    duplicate_threshold: float = DUPLICATE_THRESHOLD,
    limit: int = 20,
    weights: DuplicateWeights = DUPLICATE_WEIGHTS,
) -> list[Related]:
    """Tickets related to ``ticket`` in the last ``days`` days, most relevant first.

    A candidate is related by the same caller, by the same category within ``radius_m``, or
    by a text similarity of at least ``similar_threshold``; it is a probable duplicate when its
    :func:`duplicate_score` (problem similarity plus the category, place and caller evidence)
    reaches ``duplicate_threshold``.
    """
    pool = [
        c for c in candidates if c.ticket_id != ticket.ticket_id and _in_window(ticket, c, days)
    ]
    # Only texts that share enough character bigrams are scored: the token-set ratio costs
    # about 0.1 ms a pair, and on unrelated long texts it still reaches about 0.35.
    mine = bigram_set(ticket.text)
    compared = [
        i for i, c in enumerate(pool) if containment(mine, bigram_set(c.text)) >= MIN_SHARED
    ]
    texts = [pool[i].text for i in compared]
    sims = [0.0] * len(pool)
    problem_sims = [0.0] * len(pool)
    for i, sim, problem_sim in zip(
        compared,
        similarities(ticket.text, texts),
        problem_similarities(ticket.text, texts),
        strict=True,
    ):
        sims[i], problem_sims[i] = sim, problem_sim
    out: list[Related] = []
    for cand, sim, problem_sim in zip(pool, sims, problem_sims, strict=True):
        rel = Related(cand.ticket_id, text_similarity=sim)
        if ticket.caller_key and cand.caller_key == ticket.caller_key:
            rel.kinds.add("same_caller")
            rel.reasons.append("同一来电人")
        dist = _distance(ticket, cand)
        rel.distance_m = dist
        same_cat = bool(ticket.category) and cand.category == ticket.category
        nearby = dist is not None and dist <= radius_m and same_cat
        if nearby:
            rel.kinds.add("nearby_same_category")
            rel.reasons.append(f"同类问题，相距约{round(dist or 0.0)}米")
        if sim >= similar_threshold:
            rel.kinds.add("similar_text")
            rel.reasons.append(f"描述相似度{sim:.0%}")
        rel.duplicate_score = duplicate_score(
            ticket, cand, problem_sim, radius_m=radius_m, weights=weights
        )
        rel.is_duplicate = rel.duplicate_score >= duplicate_threshold
        if rel.is_duplicate:
            rel.reasons.append("疑似重复工单，可合并或关联")
        if rel.kinds or rel.is_duplicate:
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
        same_cat = bool(ticket.category) and other.category == ticket.category
        if ticket.caller_key and other.caller_key == ticket.caller_key:
            caller += 1
            caller_cat += same_cat
        dist = _distance(ticket, other)
        if same_cat and dist is not None and dist <= radius_m:
            place_cat += 1
    return RepeatCounts(caller, caller_cat, place_cat)

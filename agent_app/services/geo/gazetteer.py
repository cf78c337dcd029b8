"""Offline gazetteer of Beijing: address text → district, township (街道/乡镇), point.

The data are reviewable CSV files in ``knowledge_base/gazetteer/`` (each row with a ``source``):

* ``districts.csv`` – the 16 districts, their government and a representative point (WGS-84);
* ``townships.csv`` – the township-level units with NBS codes and the unit that answers for them;
* ``aliases.csv`` – short forms (广内, 崇外), 镇/乡 ↔ 地区 pairs and former names (崇文区, 密云县);
* ``places.csv`` – landmarks, roads, stations, hospitals, schools, compounds … mapped to a
  township, to a district only (when the place spans several townships or is not certain), or to
  several candidates (ambiguous names such as 天通苑, 亦庄, 十里堡);
* ``township_points.csv`` – approximate points for the townships we are sure of.

Matching is a leftmost-longest dictionary scan (pure Python, well under a millisecond for an
address).  The evidence of all matches is intersected; *unknown beats wrong*: when the text
does not determine a township, the result names the district only (its government is the
fallback unit), and when even the district is open, nothing, with the candidates listed.

When the evidence conflicts, only names of townships may still decide, and among them a
township named in full (its official name such as 观音寺街道, a 镇/乡 ↔ 地区 pair such as 将台乡,
or a common name such as 经开区) beats a *short form* (the name without its 街道/地区/镇/乡
suffix, alias type ``short_form``): a bare stem is often part of another name, as 荣华 is of the
road 荣华中路.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from agent_app.errors import ConfigError

# Confidence levels (0..1) reported with a result.
CONF_TOWNSHIP_NAMED = 0.95  # the township's own name or alias was said
CONF_TOWNSHIP_PLACE = 0.85  # a place that lies in exactly one township
CONF_DISTRICT_BONUS = 0.03  # the district said agrees with the township evidence
CONF_DISTRICT_NAMED = 0.6  # district only, said explicitly
CONF_DISTRICT_PLACE = 0.5  # district only, implied by places
CONF_AMBIGUOUS = 0.2  # nothing determined, candidates listed

_COMMUNITY_RE = re.compile(r"社区")
_STOP_CHARS = set("，,。；;、 （）()：:0123456789号楼栋单元室层")


@dataclass(frozen=True)
class Candidate:
    """One reading of a matched name: a district, and a township when it is determined."""

    district_code: str
    township_code: str | None


@dataclass(frozen=True)
class Match:
    """A gazetteer name found in the text."""

    start: int
    end: int
    text: str
    level: str  # "district", "township" (name or alias) or "place"
    candidates: frozenset[Candidate]
    short_form: bool = False  # a township match only by a suffix-less short form (荣华)


@dataclass
class PlaceResult:
    """What the text says about the place; every field is ``None`` when not determined."""

    district: str | None = None
    district_code: str | None = None
    township: str | None = None
    township_code: str | None = None
    community: str | None = None
    lat: float | None = None
    lon: float | None = None
    point_source: str | None = None  # "township" (approximate) or "district" (representative)
    confidence: float = 0.0
    jurisdiction_unit: str | None = None
    evidence: list[tuple[int, int, str]] = field(default_factory=list)
    candidates: list[dict[str, str | None]] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def as_dict(self) -> dict[str, object]:
        return {
            "district": self.district,
            "district_code": self.district_code,
            "township": self.township,
            "township_code": self.township_code,
            "community": self.community,
            "lat": self.lat,
            "lon": self.lon,
            "point_source": self.point_source,
            "confidence": round(self.confidence, 3),
            "jurisdiction_unit": self.jurisdiction_unit,
            "evidence": [list(e) for e in self.evidence],
            "candidates": list(self.candidates),
        }


@dataclass(frozen=True)
class District:
    code: str
    name: str
    government_unit: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Township:
    code: str
    name: str
    type: str
    district_code: str
    jurisdiction_unit: str
    lat: float | None
    lon: float | None


def normalize(text: str) -> str:
    """Full-width to half-width, ASCII lower case, no blanks."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(text.split())


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        raise ConfigError(
            f"The gazetteer file {path} cannot be read ({exc.strerror or exc}); "
            "reinstall the app or point AGENT_APP_KB_DIR at a complete knowledge base."
        ) from exc


class Gazetteer:
    """The loaded gazetteer and its resolver.  Build once (about 20 ms) and share."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.districts: dict[str, District] = {}
        self.townships: dict[str, Township] = {}
        self._index: dict[str, set[tuple[str, Candidate]]] = {}
        # Township-level keys that are a full name, a 镇/乡 ↔ 地区 pair or a common name; any
        # other township-level key is only a short form (see the module docstring).
        self._full_township_keys: set[str] = set()
        self._max_len = 1
        self._load()

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer shipped in the knowledge base."""
        from agent_app.paths import knowledge_base_dir  # noqa: PLC0415

        return cls(knowledge_base_dir() / "gazetteer")

    def _add(self, name: str, level: str, cand: Candidate, *, short_form: bool = False) -> None:
        key = normalize(name)
        if len(key) < 2:
            return
        self._index.setdefault(key, set()).add((level, cand))
        self._max_len = max(self._max_len, len(key))
        if level == "township" and not short_form:
            self._full_township_keys.add(key)

    def _load(self) -> None:
        d = self.directory
        points = {
            r["township_code"]: (float(r["lat"]), float(r["lon"]))
            for r in _read_csv(d / "township_points.csv")
        }
        for r in _read_csv(d / "districts.csv"):
            dist = District(
                r["district_code"],
                r["district_name"],
                r["government_unit"],
                float(r["lat"]),
                float(r["lon"]),
            )
            self.districts[dist.code] = dist
            self._add(dist.name, "district", Candidate(dist.code, None))
        for r in _read_csv(d / "townships.csv"):
            pt = points.get(r["township_code"])
            tw = Township(
                r["township_code"],
                r["township_name"],
                r["township_type"],
                r["district_code"],
                r["jurisdiction_unit"],
                pt[0] if pt else None,
                pt[1] if pt else None,
            )
            self.townships[tw.code] = tw
            self._add(tw.name, "township", Candidate(tw.district_code, tw.code))
        for r in _read_csv(d / "aliases.csv"):
            code = r["target_code"]
            if r["target_level"] == "district":
                self._add(r["alias"], "district", Candidate(code, None))
            else:
                self._add(
                    r["alias"],
                    "township",
                    Candidate(self.townships[code].district_code, code),
                    short_form=r["alias_type"] == "short_form",
                )
        for r in _read_csv(d / "places.csv"):
            dc, tc = r["district_code"], r["township_code"] or None
            self._add(r["name"], "place", Candidate(dc, tc))
        if not self.districts or not self.townships:
            raise ConfigError(
                f"The gazetteer in {d} is empty; reinstall the app or restore knowledge_base/gazetteer."
            )

    @property
    def size(self) -> int:
        """Number of distinct names the resolver knows."""
        return len(self._index)

    def district_code_for(self, hint: str | None) -> str | None:
        """A district code from a code, a full name (朝阳区) or a short name (朝阳)."""
        if not hint:
            return None
        hint = normalize(hint)
        if hint in self.districts:
            return hint
        for code, dist in self.districts.items():
            if hint in (dist.name, dist.name[:-1]):
                return code
        return None

    # -- matching ------------------------------------------------------------------------
    def scan(self, text: str) -> list[Match]:
        """Leftmost-longest matches of gazetteer names in (normalized) ``text``."""
        out: list[Match] = []
        i, n = 0, len(text)
        index, max_len = self._index, self._max_len
        while i < n - 1:
            for length in range(min(max_len, n - i), 1, -1):
                entries = index.get(text[i : i + length])
                if entries:
                    # A name's strongest level decides how it is used (a township name beats a
                    # place of the same spelling, a district name beats both).
                    levels = {lvl for lvl, _ in entries}
                    level = next(lv for lv in ("district", "township", "place") if lv in levels)
                    cands = frozenset(c for lvl, c in entries if lvl == level)
                    key = text[i : i + length]
                    short = level == "township" and key not in self._full_township_keys
                    out.append(Match(i, i + length, key, level, cands, short))
                    i += length
                    break
            else:
                i += 1
        return out

    # -- resolving -----------------------------------------------------------------------
    def resolve(self, text: str, district_hint: str | None = None) -> PlaceResult:
        """Resolve an address as a caller says it.  Never raises on odd input."""
        norm = normalize(text or "")
        matches = self.scan(norm)
        result = PlaceResult(evidence=[(m.start, m.end, m.text) for m in matches])
        result.community = _community(norm, matches)
        hint = self.district_code_for(district_hint)

        said = {c.district_code for m in matches if m.level == "district" for c in m.candidates}
        if said and hint and hint in said:
            allowed: set[str] | None = {hint}
        elif said:
            allowed = said
        elif hint:
            allowed = {hint}
        else:
            allowed = None

        # Pass 1: which districts do the matches allow?  Pass 2: which townships within them?
        # The kind of a match: "township" (named in full), "short" (a township's short form only)
        # or "place".
        kept: list[tuple[str, set[Candidate]]] = []
        district_sets: list[set[str]] = []
        for m in matches:
            if m.level == "district":
                continue
            cands = {c for c in m.candidates if c.district_code}
            if allowed is not None:
                filtered = {c for c in cands if c.district_code in allowed}
                if cands and not filtered:
                    continue  # a place outside the district said: the caller's word wins
                cands = filtered
            if not cands:
                continue
            kept.append(("short" if m.short_form else m.level, cands))
            district_sets.append({c.district_code for c in cands})

        if allowed is not None and len(allowed) == 1:
            districts = set(allowed)
        elif allowed is not None:
            districts = set(allowed)
            for s in district_sets:
                districts &= s
        elif district_sets:
            districts = set.intersection(*district_sets)
        else:
            districts = set()

        tw_sets: list[tuple[str, set[Candidate]]] = []
        for level, cands in kept:
            if districts:
                cands = {c for c in cands if c.district_code in districts}
            if cands and all(c.township_code for c in cands):
                tw_sets.append((level, cands))

        township_cands: set[Candidate] = set()
        named = False
        if tw_sets:
            inter = set.intersection(*(s for _, s in tw_sets))
            inter = {c for c in inter if not districts or c.district_code in districts}
            if not inter:
                # Conflicting evidence: only the township's own name may still decide, and a
                # township named in full beats a short form (荣华 inside the road 荣华中路).
                for kinds in (("township",), ("township", "short")):
                    named_sets = [s for lvl, s in tw_sets if lvl in kinds]
                    if named_sets:
                        inter = set.intersection(*named_sets)
                        inter = {c for c in inter if not districts or c.district_code in districts}
                        if inter:
                            break
            township_cands = inter
            named = any(lvl in ("township", "short") and inter & s for lvl, s in tw_sets)

        if len(township_cands) == 1:
            cand = next(iter(township_cands))
            self._fill_township(result, cand.township_code or "")
            conf = CONF_TOWNSHIP_NAMED if named else CONF_TOWNSHIP_PLACE
            if cand.district_code in said:
                conf += CONF_DISTRICT_BONUS
            result.confidence = min(conf, 0.99)
            return result

        if len(township_cands) > 1:
            result.candidates = [self._cand_dict(c) for c in sorted(township_cands, key=_key)]
            districts &= {c.district_code for c in township_cands} or districts
        if len(districts) == 1:
            self._fill_district(result, next(iter(districts)))
            result.confidence = CONF_DISTRICT_NAMED if said else CONF_DISTRICT_PLACE
        elif len(districts) > 1 or result.candidates:
            if not result.candidates:
                result.candidates = [
                    self._cand_dict(Candidate(dc, None)) for dc in sorted(districts)
                ]
            result.confidence = CONF_AMBIGUOUS
        return result

    def _cand_dict(self, c: Candidate) -> dict[str, str | None]:
        tw = self.townships.get(c.township_code or "")
        return {
            "district": self.districts[c.district_code].name,
            "district_code": c.district_code,
            "township": tw.name if tw else None,
            "township_code": tw.code if tw else None,
        }

    def _fill_district(self, result: PlaceResult, code: str) -> None:
        dist = self.districts[code]
        result.district, result.district_code = dist.name, dist.code
        result.lat, result.lon, result.point_source = dist.lat, dist.lon, "district"
        result.jurisdiction_unit = dist.government_unit

    def _fill_township(self, result: PlaceResult, code: str) -> None:
        tw = self.townships[code]
        self._fill_district(result, tw.district_code)
        result.township, result.township_code = tw.name, tw.code
        result.jurisdiction_unit = tw.jurisdiction_unit
        if tw.lat is not None and tw.lon is not None:
            result.lat, result.lon, result.point_source = tw.lat, tw.lon, "township"

    def township_points(self) -> Iterable[Township]:
        """Townships that have an (approximate) point."""
        return (t for t in self.townships.values() if t.lat is not None)


def _key(c: Candidate) -> tuple[str, str]:
    return (c.district_code, c.township_code or "")


def _community(text: str, matches: list[Match]) -> str | None:
    """The community (社区) the caller named, as said; not checked against a list."""
    for found in _COMMUNITY_RE.finditer(text):
        pos = found.start()
        for m in matches:
            if m.end == pos and m.level != "district":
                return m.text + "社区"
        start = max((m.end for m in matches if m.end <= pos), default=max(0, pos - 6))
        start = max(start, pos - 6)
        name = text[start:pos]
        while name and name[0] in _STOP_CHARS:
            name = name[1:]
        if len(name) >= 2 and not any(ch in _STOP_CHARS for ch in name):
            return name + "社区"
    return None


def jurisdiction_unit(place: PlaceResult) -> str | None:
    """The unit that owns the place: the township's 街道办事处/乡镇人民政府, else the district
    government (兜底), else ``None`` when not even the district is known."""
    return place.jurisdiction_unit

"""The transcript-to-form path on the training scenarios: fields filled right / wrong / left empty.

    .venv/bin/python benchmarks/eval_transcript_form.py [--json] [--show]

Every scenario in ``resources/scenarios`` is replayed segment by segment through the transcript
extractor, as the transcript strip does; the operator is taken to accept every chip as it
appears, so each field ends with the newest proposal of its kind.  That value is compared with
the scenario's expected ticket:

- ``name``: the caller's surname (``我姓王`` → 王 for 王女士); scenarios whose caller has a name;
- ``phone``: the caller's number, when the caller says it;
- ``address``: the proposal's place, as the gazetteer resolves it, is the expected district and
  (when the scenario names one) township; scenarios with an expected address;
- ``category``: the proposed path names the expected leaf code (``L2`` also counts a proposal in
  the right second level); scenarios with an expected category.  A category proposed in a call
  that expects none (transfers, matters not accepted) is counted as ``spurious``.

"before" is the earlier keyword rule (the longest catalogue keyword of ≥ 3 characters in one
segment), "after" the call-level categorizer with abstention
(:mod:`agent_app.services.suggest.transcript`).  The categorizer's two cut-offs were chosen on
the scenarios with an even position in id order (``--half dev``) and are reported on both halves;
with 20 scenarios a half, every figure moves by 0.05 per scenario.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent_app.services.catalogue import catalogue_dir, load_categories  # noqa: E402
from agent_app.services.geo.gazetteer import Gazetteer  # noqa: E402
from agent_app.services.speech.extract import Extractor  # noqa: E402
from agent_app.services.suggest.transcript import (  # noqa: E402
    MIN_SCORE,
    MIN_SHARE,
    build_transcript_extractor,
    longest_keyword_lookup,
)

FIELDS = ("name", "phone", "address", "category")


def scenarios() -> list[dict[str, Any]]:
    out = []
    for path in sorted((ROOT / "resources" / "scenarios").glob("*.json")):
        out.append(json.loads(path.read_text(encoding="utf-8")))
    return sorted(out, key=lambda d: str(d["id"]))


TIMES_MS: list[float] = []


def replay(extractor: Extractor, scenario: dict[str, Any]) -> dict[str, Any]:
    """The newest proposal of each kind after the whole call."""
    extractor.new_call()
    last: dict[str, Any] = {}
    for seg in scenario["segments"]:
        t0 = time.perf_counter()
        extraction = extractor.extract(str(seg["text"]), float(seg["start"]), float(seg["end"]))
        TIMES_MS.append((time.perf_counter() - t0) * 1000)
        for proposal in extraction.proposals:
            last[proposal.kind] = proposal
    return last


def judge(
    scenario: dict[str, Any], got: dict[str, Any], path_code: dict[str, str]
) -> dict[str, str]:
    """Per field: right / wrong / empty / spurious / n/a."""
    exp = scenario["expected"]
    caller = scenario.get("caller", {})
    out: dict[str, str] = {}
    name = str(caller.get("name") or "")
    heard = "".join(s["text"] for s in scenario["segments"]).replace(" ", "")
    said = name and re.search(rf"(?:姓|叫){name[:1]}|{name[:1]}(?:先生|女士|阿姨|经理)", heard)
    if said:
        p = got.get("name")
        out["name"] = "empty" if p is None else ("right" if p.value[:1] == name[:1] else "wrong")
    else:
        out["name"] = "n/a"
    spoken = " ".join(s["text"] for s in scenario["segments"])
    phone = str(caller.get("phone") or "")
    p = got.get("phone")
    if (
        phone
        and any(w in spoken for w in ("电话", "手机", "号码"))
        and any(c in spoken for c in "幺零")
    ):
        digits = "".join(c for c in p.value if c.isdigit()) if p is not None else ""
        out["phone"] = "empty" if p is None else ("right" if digits.endswith(phone) else "wrong")
    else:
        out["phone"] = "n/a" if p is None else "spurious"
    p = got.get("address")
    if exp.get("address"):
        if p is None:
            out["address"] = "empty"
        else:
            r = p.resolved or {}
            ok = r.get("district") == exp.get("district") and (
                not exp.get("township") or r.get("township") == exp.get("township")
            )
            out["address"] = "right" if ok else "wrong"
    else:
        out["address"] = "n/a" if p is None else "spurious"
    p = got.get("category")
    code = path_code.get(p.value, "") if p is not None else ""
    if exp.get("category"):
        want = str(exp["category"])
        if p is None:
            out["category"] = "empty"
        elif code == want:
            out["category"] = "right"
        else:
            out["category"] = "wrong (right L2)" if code[:5] == want[:5] else "wrong"
    else:
        out["category"] = "n/a" if p is None else "spurious"
    return out


def summarise(rows: list[dict[str, str]]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for field in FIELDS:
        counts = Counter(r[field] for r in rows)
        counts["wrong"] += counts.pop("wrong (right L2)", 0) and 0
        table[field] = dict(counts)
    return table


def run(
    extractor: Extractor, items: list[dict[str, Any]], path_code: dict[str, str]
) -> list[dict[str, str]]:
    rows = []
    for sc in items:
        verdict = judge(sc, replay(extractor, sc), path_code)
        rows.append({"id": sc["id"], **verdict})
    return rows


def counts(rows: list[dict[str, str]], field: str) -> dict[str, int]:
    c = Counter(r[field] for r in rows)
    return {
        "right": c["right"],
        "wrong": c["wrong"] + c["wrong (right L2)"],
        "wrong_right_l2": c["wrong (right L2)"],
        "empty": c["empty"],
        "spurious": c["spurious"],
        "scored": c["right"] + c["wrong"] + c["wrong (right L2)"] + c["empty"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", action="store_true", help="one line per scenario and field")
    parser.add_argument(
        "--grid",
        action="store_true",
        help="the cut-off grid on the dev half (how they were chosen)",
    )
    args = parser.parse_args(argv)

    categories = load_categories(catalogue_dir() / "categories.csv")
    path_code = {f"{c.level1}/{c.level2}/{c.level3}": c.code for c in categories}
    gazetteer = Gazetteer.default()
    items = scenarios()
    halves = {"dev": items[0::2], "test": items[1::2], "all": items}
    before = build_transcript_extractor(gazetteer, None)
    before = Extractor(
        keywords=longest_keyword_lookup(categories),
        geocoder=before._geocoder,  # noqa: SLF001 - the same geocoder for both rows
        places=[d.name for d in gazetteer.districts.values()]
        + [t.name for t in gazetteer.townships.values()],
    )
    after = build_transcript_extractor(gazetteer, categories)

    if args.grid:
        from agent_app.services.suggest.transcript import (  # noqa: PLC0415
            TranscriptCategorizer,
            catalogue_records,
        )

        records = catalogue_records(categories)
        for score in (0.0, 1.0, 2.0, 4.0, 6.0, 8.0):
            for share in (0.0, 0.2, 0.3, 0.4, 0.5):
                ex = Extractor(
                    categorizer=TranscriptCategorizer(records, min_score=score, min_share=share)
                )
                c = counts(run(ex, halves["dev"], path_code), "category")
                print(f"dev min_score {score:4.1f} min_share {share:.1f}: {c}")
        return 0

    report: dict[str, Any] = {"cutoffs": {"min_score": MIN_SCORE, "min_share": MIN_SHARE}}
    for label, extractor in (("before", before), ("after", after)):
        report[label] = {}
        TIMES_MS.clear()
        for half, subset in halves.items():
            rows = run(extractor, subset, path_code)
            report[label][half] = {f: counts(rows, f) for f in FIELDS}
            if args.show and half == "all":
                for r in rows:
                    print(label, r)
        times = sorted(TIMES_MS)
        report[label]["segment_ms"] = {
            "p50": round(times[len(times) // 2], 3),
            "p95": round(times[int(0.95 * (len(times) - 1))], 3),
            "max": round(times[-1], 3),
        }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(
        f"{len(items)} scenarios (dev half {len(halves['dev'])}, test half {len(halves['test'])})"
    )
    print(
        f"{'':8}{'half':6}{'field':10}{'right':>6}{'wrong':>6}{'(L2 ok)':>8}{'empty':>6}{'spurious':>9}"
    )
    for label in ("before", "after"):
        for half in ("dev", "test", "all"):
            for f in FIELDS:
                c = report[label][half][f]
                print(
                    f"{label:8}{half:6}{f:10}{c['right']:>6}{c['wrong']:>6}"
                    f"{c['wrong_right_l2']:>8}{c['empty']:>6}{c['spurious']:>9}"
                )
        t = report[label]["segment_ms"]
        print(f"{label}: one segment p50 {t['p50']} ms, p95 {t['p95']} ms, max {t['max']} ms")
    long_call = "，".join(str(s["text"]) for sc in items for s in sc["segments"])[:3000]
    after.new_call()
    t0 = time.perf_counter()
    for start in range(0, len(long_call), 30):  # a 3,000-character call in 100 segments
        after.extract(long_call[start : start + 30], float(start), float(start + 1))
    print(
        f"after: a 3,000-character call, mean per segment {(time.perf_counter() - t0) * 10:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Accuracy of the offline gazetteer on the labelled address sets.

    .venv/bin/python benchmarks/eval_geocode.py [--show-errors]

For every row: district correct when the predicted district equals the expected one (both empty
counts as correct); township *correct* when equal (both empty = a correct abstention), *wrong*
when a township is predicted that is not the expected one, *abstained* when the expected
township is given but none is predicted.  The held-out set is never used for tuning.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent_app.services.geo.gazetteer import Gazetteer  # noqa: E402

SETS = {
    "dev": ROOT / "tests/data/addresses_dev.csv",
    "held-out": ROOT / "tests/data/addresses_heldout.csv",
}


def evaluate(gaz: Gazetteer, path: Path, show_errors: bool = False) -> dict[str, float]:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    d_ok = t_ok = t_wrong = t_abst = 0
    for r in rows:
        res = gaz.resolve(r["input"])
        exp_d, exp_t = r["district"] or None, r["township"] or None
        d_ok += res.district == exp_d
        if res.township == exp_t:
            t_ok += 1
            continue
        if res.township is None:
            t_abst += 1
            kind = "abstained"
        else:
            t_wrong += 1
            kind = "WRONG"
        if show_errors:
            print(
                f"  {kind}: {r['input']} → {res.district} {res.township} (expected {exp_d} {exp_t})"
            )
    n = len(rows)
    return {
        "n": n,
        "district_acc": d_ok / n,
        "township_acc": t_ok / n,
        "township_wrong": t_wrong / n,
        "abstained": t_abst / n,
    }


def main() -> int:
    show = "--show-errors" in sys.argv
    gaz = Gazetteer.default()
    print(f"gazetteer: {gaz.size} names, {len(gaz.townships)} township-level units")
    for name, path in SETS.items():
        m = evaluate(gaz, path, show and name == "dev")
        print(
            f"{name:9s} n={m['n']:3d}  district {m['district_acc']:.1%}  township {m['township_acc']:.1%}"
            f"  wrong {m['township_wrong']:.1%}  abstained {m['abstained']:.1%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

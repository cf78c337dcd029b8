"""``agent-app suggest``: train and run the category suggester from CSV files.

``suggest train --csv CSV --text-columns A,B --label-column L --model-out DIR`` fits a model
(optionally with catalogue pseudo-documents from ``--prior-csv``) and writes ``DIR/model.joblib``
and ``DIR/meta.json``.  ``suggest train --from-db [--data-dir DIR]`` trains a new version of the
seat's category model from its finished tickets (:mod:`agent_app.services.suggest.retrain`) and
makes it current; with too few tickets it trains nothing and says so (exit 0).  ``suggest predict --model DIR --csv CSV --text-columns A,B --top K
--json`` prints one line ``{"labels": [...], "scores": [...]}`` per CSV row, in order.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

from agent_app.errors import ConfigError, UsageError

DEFAULT_PRIOR_WEIGHT = 5.0
"""Weight of one ``--prior-csv`` row relative to a labelled row (chosen by CV on the dev half,
benchmarks/eval_suggest_heldout.py)."""


def register(sub: Any) -> None:
    parser = sub.add_parser("suggest", help="train or run the category suggester")
    actions = parser.add_subparsers(dest="suggest_command", metavar="ACTION", required=True)

    train = actions.add_parser(
        "train", help="train a model from a labelled CSV, or the seat's model from its database"
    )
    source = train.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", help="labelled CSV (UTF-8, with a header row)")
    source.add_argument(
        "--from-db",
        action="store_true",
        help="train a new version of the seat's category model from its finished tickets",
    )
    train.add_argument("--data-dir", dest="sub_data_dir", help="data directory (with --from-db)")
    train.add_argument(
        "--min-tickets",
        type=int,
        default=None,
        help="with --from-db: train only with at least this many finished tickets",
    )
    train.add_argument("--text-columns", help="comma-separated text columns (with --csv)")
    train.add_argument("--label-column", help="column with the label (with --csv)")
    train.add_argument("--model-out", help="directory to write the model to (with --csv)")
    train.add_argument("--prior-csv", help="catalogue CSV whose rows become pseudo-documents")
    train.add_argument("--prior-label-column", help="label column of --prior-csv")
    train.add_argument("--prior-text-columns", help="comma-separated text columns of --prior-csv")
    train.add_argument(
        "--prior-labels",
        choices=("known", "all"),
        default="known",
        help="use priors only of labels in --csv (known, default) or of all labels",
    )
    train.add_argument(
        "--prior-weight",
        type=float,
        default=DEFAULT_PRIOR_WEIGHT,
        help=f"weight of a prior row (default {DEFAULT_PRIOR_WEIGHT:g})",
    )
    train.add_argument(
        "--unlabelled-csv",
        help="CSV of unlabelled texts (same --text-columns) that the features are fitted on too",
    )
    train.add_argument("--classifier", choices=("cnb", "svc"), default="cnb")
    train.add_argument("--alpha", type=float, default=0.3, help="smoothing (cnb) or 1/C (svc)")
    train.add_argument(
        "--field-weights", default="1,1", help="weights of the text columns (default 1,1)"
    )
    train.add_argument("--json", action="store_true", help="print the model metadata as JSON")
    train.set_defaults(func=run)

    predict = actions.add_parser("predict", help="rank labels for every row of a CSV")
    predict.add_argument("--model", required=True, help="model directory from 'suggest train'")
    predict.add_argument("--csv", required=True, help="CSV (UTF-8, with a header row)")
    predict.add_argument("--text-columns", required=True, help="comma-separated text columns")
    predict.add_argument("--top", type=int, default=3, help="labels per row (default 3)")
    predict.add_argument("--json", action="store_true", help="one JSON object per line")
    predict.set_defaults(func=run)


def _columns(spec: str, option: str) -> list[str]:
    names = [c.strip() for c in spec.split(",") if c.strip()]
    if not names:
        raise UsageError(f"{option} is empty; give one or more column names separated by commas.")
    return names


def read_csv(path: str, columns: list[str]) -> list[dict[str, str]]:
    """Rows of a UTF-8 (or UTF-8 with BOM) CSV; every named column must exist."""
    file = Path(path)
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            if missing:
                raise UsageError(
                    f"Column(s) {', '.join(missing)} not in {file}; "
                    f"it has: {', '.join(header) or 'no header'}."
                )
            return [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]
    except FileNotFoundError as exc:
        raise ConfigError(f"The CSV file {file} does not exist; check the path.") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"The CSV file {file} is not UTF-8; save it as UTF-8 and retry.") from exc
    except csv.Error as exc:
        raise UsageError(f"The CSV file {file} is malformed ({exc}); fix it and retry.") from exc
    except OSError as exc:
        raise ConfigError(f"The CSV file {file} cannot be read ({exc.strerror}).") from exc


def _weights(spec: str) -> tuple[float, ...]:
    try:
        weights = tuple(float(w) for w in spec.split(","))
    except ValueError as exc:
        raise UsageError(f"--field-weights {spec!r} is not a list of numbers like 2,1.") from exc
    if not weights or any(w <= 0 for w in weights):
        raise UsageError("--field-weights must be positive numbers like 2,1.")
    return weights


def _train_from_db(args: argparse.Namespace) -> int:
    from agent_app.paths import data_paths
    from agent_app.services.suggest import retrain

    stray = [
        name
        for name, value in (
            ("--model-out", args.model_out),
            ("--text-columns", args.text_columns),
            ("--label-column", args.label_column),
            ("--prior-csv", args.prior_csv),
            ("--unlabelled-csv", args.unlabelled_csv),
        )
        if value
    ]
    if stray:
        raise UsageError(f"--from-db takes no {', '.join(stray)}; those belong to --csv.")
    if args.min_tickets is not None and args.min_tickets < 1:
        raise UsageError("--min-tickets must be at least 1.")
    paths = data_paths(args.sub_data_dir or getattr(args, "data_dir", None))
    if not paths.database.is_file():
        raise UsageError(
            f"No seat database at {paths.database}; give the seat's --data-dir "
            "(or run 'agent-app db upgrade' there first)."
        )
    report = retrain.retrain_from_db(
        paths,
        min_tickets=retrain.MIN_TICKETS if args.min_tickets is None else args.min_tickets,
    )
    if args.json:
        data = {
            "trained": report.trained,
            "reason": report.reason,
            "tickets": report.tickets,
            "labels": report.labels,
            "skipped_unknown": report.skipped_unknown,
            "version": report.version,
            "model_dir": str(report.model_dir) if report.model_dir else None,
            "train_s": round(report.seconds, 3),
        }
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(report.summary() + (f" -> {report.model_dir}" if report.trained else ""))
    return 0


def _train(args: argparse.Namespace) -> int:
    from agent_app.services.suggest.features import FeatureConfig
    from agent_app.services.suggest.model import TrainConfig, train_from_records

    if args.from_db:
        return _train_from_db(args)
    missing = [
        name
        for name, value in (
            ("--text-columns", args.text_columns),
            ("--label-column", args.label_column),
            ("--model-out", args.model_out),
        )
        if not value
    ]
    if missing:
        raise UsageError(f"--csv needs {', '.join(missing)} as well.")
    if args.min_tickets is not None or args.sub_data_dir:
        raise UsageError("--min-tickets and --data-dir go with --from-db, not --csv.")
    text_cols = _columns(args.text_columns, "--text-columns")
    rows = read_csv(args.csv, [*text_cols, args.label_column])
    texts: list[tuple[str, ...]] = []
    labels: list[str] = []
    for row in rows:
        label = row[args.label_column].strip()
        if label:
            texts.append(tuple(row[c] for c in text_cols))
            labels.append(label)
    if not labels:
        raise UsageError(f"No row of {args.csv} has a label in column {args.label_column}.")
    priors: list[tuple[str, str]] = []
    if args.prior_csv:
        if not args.prior_label_column or not args.prior_text_columns:
            raise UsageError(
                "--prior-csv needs --prior-label-column and --prior-text-columns as well."
            )
        prior_cols = _columns(args.prior_text_columns, "--prior-text-columns")
        for row in read_csv(args.prior_csv, [*prior_cols, args.prior_label_column]):
            label = row[args.prior_label_column].strip()
            text = " ".join(row[c] for c in prior_cols if row[c].strip())
            if label and text:
                priors.append((label, text))
    unlabelled: list[tuple[str, ...]] = []
    if args.unlabelled_csv:
        for row in read_csv(args.unlabelled_csv, text_cols):
            fields = tuple(row[c] for c in text_cols)
            if any(f.strip() for f in fields):
                unlabelled.append(fields)
    config = TrainConfig(
        features=FeatureConfig(field_weights=_weights(args.field_weights)),
        classifier=args.classifier,
        alpha=args.alpha,
        prior_weight=args.prior_weight,
    )
    started = time.perf_counter()
    model = train_from_records(
        texts,
        labels,
        args.model_out,
        priors=priors,
        config=config,
        priors_known_labels_only=args.prior_labels == "known",
        extra_meta={"text_columns": text_cols, "label_column": args.label_column},
        unlabelled=unlabelled,
    )
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({**model.meta, "train_s": round(seconds, 3)}, ensure_ascii=False))
    else:
        print(
            f"trained on {len(labels)} rows (+{len(priors)} priors, "
            f"{len(unlabelled)} unlabelled), "
            f"{len(model.labels)} labels, {seconds:.1f} s -> {args.model_out}"
        )
    return 0


def _predict(args: argparse.Namespace) -> int:
    from agent_app.services.suggest.model import CategorySuggester

    if args.top < 1:
        raise UsageError("--top must be at least 1.")
    text_cols = _columns(args.text_columns, "--text-columns")
    model = CategorySuggester.load(args.model)
    rows = read_csv(args.csv, text_cols)
    texts = [tuple(row[c] for c in text_cols) for row in rows]
    out = sys.stdout
    batch = 512
    for start in range(0, len(texts), batch):
        for ranking in model.predict(texts[start : start + batch], top=args.top):
            if args.json:
                record = {
                    "labels": [label for label, _ in ranking],
                    "scores": [round(score, 6) for _, score in ranking],
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                out.write("  ".join(f"{label}:{score:.3f}" for label, score in ranking) + "\n")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.suggest_command == "train":
        return _train(args)
    return _predict(args)

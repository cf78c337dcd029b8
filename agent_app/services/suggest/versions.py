"""Versioned model directories in the data dir: ``models/category/<UTC timestamp>/``.

Layout of a model root (e.g. ``<data dir>/models/category``)::

    20261122T013000Z/      model.joblib + meta.json of one training run
    20261129T013000Z/      ...
    CURRENT                one line: the name of the version in use

A version is written under a temporary name and renamed when complete, then ``CURRENT`` is
replaced atomically, so a reader sees either the old model or the new one, never half of one.
The last :data:`KEEP_VERSIONS` versions are kept (the current one always) so that a bad model can
be rolled back by editing ``CURRENT``.  A model written straight into the root (the earlier flat
layout, or ``agent-app suggest train --model-out <root>``) is still found when there is no
version.  Nothing here imports scikit-learn; :func:`current_model_dir` only reads a few bytes.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from agent_app.errors import ConfigError

CURRENT_FILE = "CURRENT"
META_FILE = "meta.json"
KEEP_VERSIONS = 3
STALE_PARTIAL_S = 6 * 3600
"""A half-written version older than this is left over from a crash and is deleted."""
_VERSION = re.compile(r"^\d{8}T\d{6}Z(?:-\d+)?$")


def version_name(now: datetime | None = None) -> str:
    """The version name for a training run finished at ``now`` (UTC, to the second)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _sort_key(name: str) -> tuple[str, int]:
    stamp, _, serial = name.partition("-")
    return stamp, int(serial or 0)


def list_versions(root: Path) -> list[str]:
    """Names of the complete versions under ``root``, oldest first."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    names = [p.name for p in entries if _VERSION.match(p.name) and (p / META_FILE).is_file()]
    return sorted(names, key=_sort_key)


def current_version(root: Path) -> str | None:
    """The version ``CURRENT`` names, when that version exists."""
    try:
        name = (root / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if _VERSION.match(name) and (root / name / META_FILE).is_file():
        return name
    return None


def current_model_dir(root: Path | None) -> Path | None:
    """The model directory the form should load from ``root``, or None (cold start).

    In order: the version ``CURRENT`` names; a model written straight into ``root`` (flat
    layout); the newest complete version (``CURRENT`` lost or damaged).
    """
    if root is None:
        return None
    name = current_version(root)
    if name is not None:
        return root / name
    if (root / META_FILE).is_file():
        return root
    versions = list_versions(root)
    return root / versions[-1] if versions else None


def publish(
    root: Path,
    write: Callable[[Path], object],
    *,
    now: datetime | None = None,
    keep: int = KEEP_VERSIONS,
) -> Path:
    """Write a new version with ``write(directory)``, make it current, prune old versions.

    Returns the new version's directory.  On any error the previous current model stays.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
        base = version_name(now)
        name, serial = base, 1
        while (root / name).exists():
            serial += 1
            name = f"{base}-{serial}"
        staging = root / f".{name}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        write(staging)
        final = root / name
        staging.rename(final)
        pointer = root / f".{CURRENT_FILE}.tmp"
        pointer.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer, root / CURRENT_FILE)
    except OSError as exc:
        raise ConfigError(
            f"Cannot write a new model version under {root} ({exc.strerror or exc}); "
            "check the free space and permissions of the data directory."
        ) from exc
    prune(root, keep=keep)
    return final


def prune(root: Path, keep: int = KEEP_VERSIONS) -> list[str]:
    """Delete all but the newest ``keep`` versions (never the current one); the names removed."""
    versions = list_versions(root)
    current = current_version(root)
    old = versions[: max(0, len(versions) - max(1, keep))]
    removed = []
    for name in old:
        if name == current:
            continue
        shutil.rmtree(root / name, ignore_errors=True)
        removed.append(name)
    stale = time.time() - STALE_PARTIAL_S
    for leftover in root.glob(".*.partial"):
        try:
            if leftover.stat().st_mtime < stale:  # a crashed run, not one still writing
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue
    return removed


__all__ = [
    "CURRENT_FILE",
    "KEEP_VERSIONS",
    "current_model_dir",
    "current_version",
    "list_versions",
    "prune",
    "publish",
    "version_name",
]

"""Retry delays: exponential with full jitter, capped (AWS architecture blog, 2015)."""

from __future__ import annotations

import random


class Backoff:
    """``next()`` returns a delay drawn uniformly from [0, min(cap, base * 2**n)]."""

    def __init__(
        self, *, base: float = 1.0, cap: float = 60.0, rng: random.Random | None = None
    ) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0
        self._rng = rng or random.Random()

    def next(self) -> float:
        ceiling = min(self.cap, self.base * (2 ** min(self.failures, 30)))
        self.failures += 1
        return self._rng.uniform(0.0, ceiling)

    def reset(self) -> None:
        self.failures = 0

"""Training call scenarios: scripted transcripts (and optional audio) replayed like a call.

A scenario file (``resources/scenarios/*.json``, described in the README there) holds the
caller's utterances with times, as a Chinese model would output them, and the expected
ticket fields for scoring.  :func:`replay` plays the transcript word by word through the same
partial / final callbacks as live recognition, so the trainer's demo exercises the whole
transcript strip and extractor without a Chinese model installed.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_app.errors import ConfigError
from agent_app.services.speech.recognizer import Partial, Segment, StreamStats, join_words


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    segments: list[Segment]
    expected: dict[str, str] = field(default_factory=dict)
    audio: Path | None = None


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read one scenario file; :class:`ConfigError` naming the file when it is bad."""
    source = Path(path)
    try:
        data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
        segments = [
            Segment(text=str(s["text"]), start=float(s["start"]), end=float(s["end"]))
            for s in data["segments"]
        ]
        audio = source.parent / data["audio"] if data.get("audio") else None
        return Scenario(
            id=str(data.get("id", source.stem)),
            title=str(data.get("title", source.stem)),
            segments=segments,
            expected={str(k): str(v) for k, v in data.get("expected", {}).items()},
            audio=audio,
        )
    except OSError as exc:
        raise ConfigError(
            f"The scenario file {source} cannot be read ({exc.strerror or exc})."
        ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"The scenario file {source} is not a valid scenario ({exc}); see "
            "resources/scenarios/README.md."
        ) from exc


def list_scenarios(directory: str | os.PathLike[str]) -> list[Scenario]:
    """Every scenario in ``directory``, sorted by file name."""
    return [load_scenario(p) for p in sorted(Path(directory).glob("*.json"))]


def replay(
    scenario: Scenario,
    *,
    on_partial: Callable[[Partial], None] | None = None,
    on_final: Callable[[Segment], None] | None = None,
    stop: threading.Event | None = None,
    pause: threading.Event | None = None,
    pace: float | None = 1.0,
) -> StreamStats:
    """Play the transcript: growing partials word by word, then each final segment.

    ``pace`` 1.0 keeps the scenario's times, 4.0 plays four times faster, None at once.
    """
    stats = StreamStats()
    began = time.monotonic()
    halt = stop or threading.Event()

    def wait_until(at_s: float) -> bool:
        if pace:
            while pause is not None and pause.is_set() and not halt.is_set():
                halt.wait(0.05)
            delay = began + at_s / pace - time.monotonic()
            if delay > 0 and halt.wait(delay):
                return False
        return not halt.is_set()

    for segment in scenario.segments:
        words = segment.text.split()
        step = (segment.end - segment.start) / max(len(words), 1)
        for i in range(1, len(words) + 1):
            if not wait_until(segment.start + step * i):
                stats.stopped = True
                return stats
            partial = Partial(join_words(" ".join(words[:i])), segment.start + step * i)
            if stats.first_partial_audio_s is None:
                stats.first_partial_audio_s = partial.at_s
            if on_partial is not None:
                on_partial(partial)
        final = Segment(join_words(segment.text), segment.start, segment.end)
        stats.segments.append(final)
        stats.audio_s = segment.end
        if on_final is not None:
            on_final(final)
    return stats

"""The call's transcript as saved with its ticket: final lines with their time offsets.

Lines are redacted before they are stored (:func:`agent_app.domain.privacy.redact_text`:
phone, ID-card and bank-card numbers masked) and stay at the seat; the centre's payload does
not carry them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from agent_app.domain.privacy import redact_text


@dataclass(frozen=True)
class TranscriptLine:
    """One final line: its offsets from the start of the call's audio (milliseconds), the
    speaker when known ("" otherwise) and its text."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str = ""

    @property
    def at(self) -> str:
        """The start offset as ``mm:ss`` (minutes grow past 59: ``75:02``)."""
        return clock(self.start_ms)


def clock(ms: int) -> str:
    seconds = max(0, ms) // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def line(text: str, start: float, end: float, speaker: str = "") -> TranscriptLine | None:
    """The line to keep from a final transcript segment (``start``/``end`` in seconds), or
    None when it says nothing."""
    text = " ".join(text.split())
    if not text:
        return None
    return TranscriptLine(round(start * 1000), round(end * 1000), text, speaker)


def redacted(lines: Iterable[TranscriptLine]) -> list[TranscriptLine]:
    """The lines with phone, ID-card and bank-card numbers masked, as they are stored."""
    return [TranscriptLine(x.start_ms, x.end_ms, redact_text(x.text), x.speaker) for x in lines]


def to_json(lines: Iterable[TranscriptLine]) -> list[dict[str, str]]:
    """``ticket show --json``'s ``transcript``: ``[{"at": "mm:ss", "text": ...}]``."""
    return [{"at": x.at, "text": x.text} for x in lines]

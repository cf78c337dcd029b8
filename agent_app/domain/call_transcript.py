"""The call's transcript as saved with its ticket: final lines with their time offsets.

Lines are redacted before they are stored (:func:`agent_app.domain.privacy.redact_text`:
phone, ID-card and bank-card numbers masked).  They are not part of the ticket's payload: the
seat queues them as their own outbox kind (``transcript``) and the centre stores them once,
checked by the same limits (:func:`wire_problem`, c0008's ``central.push_transcript``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from agent_app.domain.privacy import redact_text
from agent_app.domain.validation import CONTROL, clean_text

MAX_LINES = 2000
"""Lines of one call's transcript the centre takes (a 3-hour call gives about 1,500)."""
MAX_LINE_CHARS = 1000
"""Code points of one line."""
MAX_TOTAL_CHARS = 100_000
"""Code points of all lines of one call."""
MAX_MS = 6 * 3600 * 1000
"""The latest offset of a line from the start of the call (6 hours)."""
MAX_SPEAKER_CHARS = 16
LINE_CONTROL = CONTROL[:-1] + "\\n]"
"""Characters no line may hold (a line is one line: no newline either); NUL neither."""
_CONTROL = re.compile(LINE_CONTROL + "|\x00")


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


def to_wire(lines: Iterable[TranscriptLine]) -> list[dict[str, Any]]:
    """The lines as the outbox and the centre carry them (already redacted)."""
    return [
        {"start_ms": x.start_ms, "end_ms": x.end_ms, "speaker": x.speaker, "text": x.text}
        for x in lines
    ]


def from_wire(rows: Iterable[dict[str, Any]]) -> list[TranscriptLine]:
    return [
        TranscriptLine(
            int(r.get("start_ms") or 0),
            int(r.get("end_ms") or 0),
            str(r.get("text") or ""),
            str(r.get("speaker") or ""),
        )
        for r in rows
    ]


def prepared(lines: Iterable[TranscriptLine]) -> list[TranscriptLine]:
    """The lines as the seat stores and sends them: redacted, NFC, without control
    characters, empty lines dropped."""
    out = []
    for x in redacted(lines):
        text = " ".join(clean_text(x.text).split())
        if text:
            out.append(TranscriptLine(x.start_ms, x.end_ms, text, clean_text(x.speaker)))
    return out


def wire_problem(lines: object) -> str | None:
    """Why the centre would refuse these lines (the reason code of c0008's
    ``central.push_transcript``), or None.  Checked at the seat before sending."""
    if not isinstance(lines, list):
        return "type:transcript"
    if not lines:
        return "empty:transcript"
    if len(lines) > MAX_LINES:
        return "too_many:transcript"
    total = 0
    last_start = 0
    for row in lines:
        if not isinstance(row, dict):
            return "type:transcript"
        start, end = row.get("start_ms"), row.get("end_ms")
        text, speaker = row.get("text"), row.get("speaker", "")
        if (
            type(start) is not int
            or type(end) is not int
            or not isinstance(text, str)
            or not isinstance(speaker, str)
        ):
            return "type:transcript"
        if not text.strip():
            return "empty:transcript"
        if len(text) > MAX_LINE_CHARS or len(speaker) > MAX_SPEAKER_CHARS:
            return "too_long:transcript"
        total += len(text)
        if total > MAX_TOTAL_CHARS:
            return "too_large:transcript"
        if _CONTROL.search(text) or _CONTROL.search(speaker):
            return "control_char:transcript"
        if not (
            unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", speaker)
        ):
            return "not_nfc:transcript"
        if start < 0 or end < start or end > MAX_MS or start < last_start:
            return "not_monotonic:transcript"
        last_start = start
    return None

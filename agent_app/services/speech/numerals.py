"""Spoken numbers in recognised Chinese text, turned into ASCII digits with a position map.

Vosk's Chinese models write numbers as characters, digit by digit (``幺三八 幺二三四…``), with
spaces between words.  :func:`normalize` removes the spaces and rewrites runs of three or more
spoken digits as ASCII digits, and keeps, for every output character, the index of the input
character it came from, so a match in the normalised text maps back to the words heard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPOKEN_DIGITS = {
    "零": "0",
    "〇": "0",
    "洞": "0",
    "幺": "1",
    "一": "1",
    "二": "2",
    "两": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_DIGIT_CHARS = "0-9" + "".join(_FULLWIDTH) + "".join(SPOKEN_DIGITS)
_RUN = re.compile(rf"[{_DIGIT_CHARS}](?:[\s\-－]*[{_DIGIT_CHARS}])*(?:[\s]*[Xx叉])?")
MIN_SPOKEN_RUN = 3
"""Shorter runs stay words: ``一下``, ``两个``, ``三号楼`` are not numbers to rewrite."""


@dataclass(frozen=True)
class Normalized:
    text: str
    index: tuple[int, ...]
    """``index[i]`` is the position in the original text of ``text[i]``."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` span of the normalised span ``[start, end)``."""
        if start >= end:
            at = (
                self.index[start]
                if start < len(self.index)
                else (self.index[-1] + 1 if self.index else 0)
            )
            return at, at
        return self.index[start], self.index[end - 1] + 1


def _digit(char: str) -> str | None:
    if "0" <= char <= "9":
        return char
    return _FULLWIDTH.get(char) or SPOKEN_DIGITS.get(char)


def chinese_number(text: str) -> int | None:
    """``十二`` → 12, ``二十三`` → 23, ``两`` → 2, ``8`` → 8 (values below 100), else None."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        if len(text) == 1 and text in SPOKEN_DIGITS:
            return int(SPOKEN_DIGITS[text])
        return None
    tens, _, ones = text.partition("十")
    if tens and tens not in SPOKEN_DIGITS or ones and ones not in SPOKEN_DIGITS:
        return None
    return int(SPOKEN_DIGITS.get(tens, "1")) * 10 + int(SPOKEN_DIGITS.get(ones, "0") if ones else 0)


def normalize(text: str) -> Normalized:
    """Remove whitespace and rewrite spoken digit runs (three or more digits) as digits."""
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for match in _RUN.finditer(text):
        for i in range(pos, match.start()):
            if not text[i].isspace():
                out.append(text[i])
                index.append(i)
        run = match.group(0)
        digits = [(match.start() + i, d) for i, c in enumerate(run) if (d := _digit(c))]
        ascii_only = all(c.isdigit() or c.isspace() or c in "-－Xx" for c in run)
        if len(digits) >= MIN_SPOKEN_RUN or ascii_only:
            for i, d in digits:
                out.append(d)
                index.append(i)
            tail = run.rstrip()[-1]
            if tail in "Xx叉":
                out.append("X")
                index.append(match.start() + len(run.rstrip()) - 1)
        else:
            for i, c in enumerate(run):
                if not c.isspace():
                    out.append(c)
                    index.append(match.start() + i)
        pos = match.end()
    for i in range(pos, len(text)):
        if not text[i].isspace():
            out.append(text[i])
            index.append(i)
    return Normalized("".join(out), tuple(index))

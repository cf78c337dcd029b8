"""A ticket description drafted from the caller's words, each sentence with its source.

The transcript is the caller's speech as recognised: words separated by spaces, no punctuation,
greetings, the caller's name and numbers among the request.  :func:`draft_description` keeps
what describes the request, one sentence per line heard, short enough to read at a glance
(:data:`MAX_SENTENCES`, :data:`MAX_CHARS`), and records for each sentence the segment it came
from (its index, times and the words heard), so the operator can check it against the
transcript.  What identifies the caller (name, phone or ID numbers) is left out: it has its own
fields.

:func:`merge_description` puts a draft into the form's description without ever replacing what
the operator typed: the draft's sentences that are not there yet are added after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

MAX_SENTENCES = 4
MAX_CHARS = 140
MIN_SENTENCE_CHARS = 4

_DIGITS = "0-9零〇幺一二两三四五六七八九"
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
# greetings, fillers and talk to the operator, wherever they stand in a line
_FILLERS = re.compile(
    r"(?:喂|你好|您好|哎|嗯|啊|呀|姑娘|同志|那个|就是说|我跟你说|我跟你讲|我这事说来话长|"
    r"是?(?:一二三四五|12345|幺二三四五)吗?|麻烦你们?|谢谢你?们?|请问一下|打扰了?)"
)
# what identifies the caller: their own fields hold it, the description does not
_IDENTITY = re.compile(
    r"(?:我(?:的名字)?(?:姓|叫)[\u4e00-\u9fff]{1,3}?(?:先生|女士|小姐)?(?=[我想家住反是在]|$)"
    r"|(?:我的?)?(?:电话|手机|手机号|号码|身份证|身份证号|证件号)(?:码|号码)?"
    rf"(?:(?:是|为)[{_DIGITS}xX\s]*|[{_DIGITS}xX]{{3,}})"
    rf"|[{_DIGITS}]{{5,}}|\*{{3,}}[0-9]*)"
)
# words that carry the request (a line with them is kept before one without)
_REQUEST_CUES = (
    "不",
    "没",
    "坏",
    "停",
    "漏",
    "吵",
    "噪",
    "臭",
    "堵",
    "占",
    "乱",
    "危险",
    "投诉",
    "举报",
    "反映",
    "希望",
    "建议",
    "要求",
    "请",
    "问",
    "怎么",
    "多少",
    "哪",
    "已经",
    "一直",
    "天",
)


@dataclass(frozen=True)
class DraftSentence:
    """One sentence of the draft and the words it came from."""

    text: str
    segment: int
    """Index of the transcript segment."""
    start: float
    end: float
    heard: str
    """The words as heard (the transcript line)."""


@dataclass(frozen=True)
class DescriptionDraft:
    sentences: tuple[DraftSentence, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)

    @property
    def sources(self) -> str:
        """Where each sentence came from, one line each (``00:12 “…”``)."""
        return "\n".join(f"{_clock(s.start)} “{s.heard}”" for s in self.sentences)

    def __bool__(self) -> bool:
        return bool(self.sentences)


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _join(words: str) -> str:
    """Recognised words as written Chinese: no spaces between Chinese words."""
    return _SPACE_BETWEEN_CJK.sub("", words.strip())


def clean_line(words: str) -> str:
    """One transcript line without fillers and identity, as a sentence (empty if nothing left)."""
    text = _join(words)
    text = _IDENTITY.sub("", text)
    text = _FILLERS.sub("", text)
    text = text.strip("，。 ,.")
    if len(text) < MIN_SENTENCE_CHARS:
        return ""
    return text + "。"


@lru_cache(maxsize=4096)
def _weight(text: str) -> int:
    """Request words in a sentence (remembered: a call's draft is picked again per line)."""
    return sum(1 for cue in _REQUEST_CUES if cue in text)


def sentence_for(words: str, index: int, start: float, end: float) -> DraftSentence | None:
    """The sentence one transcript line gives (``index``: its segment), or None when the line
    says nothing about the request.  Computed once per line: a presenter keeps these as the
    call goes on and :func:`select` picks the draft from them."""
    sentence = clean_line(words)
    if not sentence:
        return None
    return DraftSentence(
        sentence, index, float(start), float(end), _IDENTITY.sub("…", _join(words))
    )


def select(
    candidates: Sequence[DraftSentence],
    *,
    max_sentences: int = MAX_SENTENCES,
    max_chars: int = MAX_CHARS,
) -> DescriptionDraft:
    """The draft from the lines' sentences (in the caller's order): when more is left than fits,
    the sentences with the fewest request words go first (the earliest first among equals),
    and the rest keep the caller's order.  One sort, so a long call costs O(n log n)."""
    count, total = len(candidates), sum(len(c.text) for c in candidates)
    drop_order = sorted(range(count), key=lambda i: (_weight(candidates[i].text), i))
    dropped: set[int] = set()
    cut: DraftSentence | None = None
    for i in drop_order:
        if count <= max_sentences and total <= max_chars:
            break
        if count == 1:  # one sentence longer than the whole draft: cut it
            only = candidates[i]
            cut = DraftSentence(only.text[: max_chars - 1] + "…", *_rest(only))
            break
        dropped.add(i)
        count -= 1
        total -= len(candidates[i].text)
    kept = [
        cut if cut is not None and cut.segment == c.segment else c
        for i, c in enumerate(candidates)
        if i not in dropped
    ]
    return DescriptionDraft(tuple(kept))


def draft_description(
    segments: Iterable[tuple[str, float, float]] | Iterable[object],
    *,
    max_sentences: int = MAX_SENTENCES,
    max_chars: int = MAX_CHARS,
) -> DescriptionDraft:
    """The description the caller's lines give: ``segments`` are ``(text, start, end)`` or
    objects with ``text``, ``start`` and ``end`` (a transcript's final segments), in order.

    Lines that say nothing about the request are dropped; when more is left than fits, the
    lines with the fewest request words go first, and the rest keep the caller's order."""
    candidates: list[DraftSentence] = []
    for index, seg in enumerate(segments):
        if isinstance(seg, tuple):
            words, start, end = str(seg[0]), float(seg[1]), float(seg[2])
        else:
            words = str(getattr(seg, "text", ""))
            start = float(getattr(seg, "start", 0.0))
            end = float(getattr(seg, "end", 0.0))
        sentence = sentence_for(words, index, start, end)
        if sentence is not None:
            candidates.append(sentence)
    return select(candidates, max_sentences=max_sentences, max_chars=max_chars)


def _rest(s: DraftSentence) -> tuple[int, float, float, str]:
    return s.segment, s.start, s.end, s.heard


def new_sentences(current: str, draft: DescriptionDraft) -> tuple[DraftSentence, ...]:
    """The draft's sentences that :func:`merge_description` would add to ``current`` (those not
    in it yet): what is left to offer once the operator has typed or accepted some of it."""
    existing = current.rstrip()
    return tuple(
        s
        for s in draft.sentences
        if any(part.strip() and part not in existing for part in s.text.split("。"))
    )


def merge_description(current: str, draft: str) -> str:
    """The description with the draft's new sentences added after what is there.

    What the operator typed is never replaced or reordered; a sentence already in it is not
    added again, so accepting a longer draft later adds only what is new."""
    sentences = [s + "。" for s in draft.split("。") if s.strip()]
    existing = current.rstrip()
    new = [s for s in sentences if s.rstrip("。") not in existing]
    if not new:
        return current
    if not existing:
        return "".join(new)
    separator = "" if existing.endswith(("。", "！", "？", ".", "\n")) else "。"
    return existing + separator + "\n" + "".join(new)


def proposal_for(draft: DescriptionDraft) -> dict[str, object]:
    """The draft as a transcript proposal the call's accept path takes (kind ``description``)."""
    first: Sequence[DraftSentence] = draft.sentences[:1]
    return {
        "kind": "description",
        "value": draft.text,
        "source_text": draft.sources,
        "start": first[0].start if first else 0.0,
        "end": draft.sentences[-1].end if draft.sentences else 0.0,
        "confidence": 0.5,
    }


__all__ = [
    "MAX_CHARS",
    "MAX_SENTENCES",
    "DescriptionDraft",
    "DraftSentence",
    "clean_line",
    "draft_description",
    "merge_description",
    "new_sentences",
    "proposal_for",
    "select",
    "sentence_for",
]

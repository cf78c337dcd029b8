"""Chinese text analysis for search: jieba words plus character bigrams, with synonyms.

Terms carry a one-letter namespace: ``w`` for a word (jieba's precise mode, or an ASCII word or
number) and ``b`` for a bigram of adjacent CJK characters.  Words are mapped to the first word
of their synonym group, so 暖气/供暖/采暖 are one term; bigrams stay as written, so the exact
wording still counts.  jieba's dictionary takes most of a second to load: it is loaded on first
use, or ahead of time with :meth:`Analyzer.warm_up`.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORDISH = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ALNUM = re.compile(r"^[0-9a-z]+$")

STOP_WORDS = frozenset(
    "的 了 是 在 和 与 及 或 也 都 就 还 又 而 但 并 等 着 过 被 把 对 从 向 为 以 于 之 其 这 那 "
    "我 你 他 她 它 我们 你们 他们 您 自己 有 没有 不 没 很 太 吗 呢 吧 啊 呀 哦 嗯 么 个 一个 "
    "这个 那个 什么 怎么 如何 请问 请 能 能否 可以 是否 一下 现在 已经 因为 所以 如果 然后 "
    "所 该 此 将 让 给 说 要 会 想 问 一 二 两 些 上 下 中 里".split()
)


_TITLES = "领导|书记|市长|县长|区长|局长|主任|镇长|乡长|同志|工作人员|政府"
BOILERPLATE = re.compile(
    "|".join(
        (
            # operator's greeting and closing on the line
            r"(?:您好|你好)?[，,\s]*(?:这里是|这边是)?(?:北京)?(?:市民服务热线|12345(?:热线)?)",
            r"请问(?:有)?什么(?:可以)?(?:能)?帮(?:到)?(?:您|你)的?",
            r"还有(?:什么|其他|别的)(?:问题|事情|需要)(?:吗|么)?",
            r"请(?:您)?(?:讲|说)",
            # callers' and letter writers' formulae
            rf"尊敬的[^，,。！!：:\s]{{0,4}}?(?:{_TITLES})(?:们)?",
            rf"(?:各位|各级)?(?:{_TITLES})(?:们)?(?:您|你)好",
            r"(?:您|你)们?好",
            r"喂+",
            r"谢谢(?:您|你|领导|了)?",
            r"此致敬礼",
            r"麻烦(?:您|你)",
            # reply templates
            r"网友(?:“[^”]{0,20}”)?",
            r"(?:您的)?(?:留言|来信)(?:已)?收悉",
        )
    )
)
"""Greetings and formulae that callers, operators and replies always say: not a topic.

Removed from queries before analysis (a live transcript begins with the operator's greeting
every time), so they neither match documents that repeat them nor dilute the real terms.
"""


def strip_boilerplate(text: str) -> str:
    """``text`` with greetings and formulae replaced by a comma (no bigram spans a cut)."""
    return BOILERPLATE.sub("，", text)


def fold(text: str) -> str:
    """Fold full-width forms and case, one character at a time (offsets are kept)."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n.lower() if len(n) == 1 else ch.lower())
    return "".join(out)


def cjk_bigrams(text: str) -> list[str]:
    """Bigrams of adjacent CJK characters of folded ``text``."""
    grams: list[str] = []
    for run in _CJK.findall(text):
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


class Analyzer:
    """Turns text into index terms.  Thread-safe once warmed up."""

    def __init__(self, synonyms: Sequence[Sequence[str]] = ()) -> None:
        self._lock = threading.Lock()
        self._jieba: Any = None
        self._canonical: dict[str, str] = {}
        self._extra_words: list[str] = []
        for group in synonyms:
            folded = [fold(w) for w in group if w.strip()]
            if len(folded) < 2:
                continue
            head = folded[0]
            for word in folded:
                self._canonical.setdefault(word, head)
                if len(word) >= 2 and _CJK.fullmatch(word):
                    self._extra_words.append(word)

    def warm_up(self) -> None:
        """Load the jieba dictionary now (about 0.8 s the first time)."""
        self._tokenizer()

    def _tokenizer(self) -> Any:
        tk = self._jieba
        if tk is not None:
            return tk
        with self._lock:
            if self._jieba is None:
                import jieba  # noqa: PLC0415 - heavy: dictionary loads on first use

                logging.getLogger("jieba").setLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                for word in self._extra_words:
                    tk.add_word(word)
                self._jieba = tk
        return self._jieba

    def words(self, folded: str) -> list[str]:
        """jieba words of folded text (punctuation and space dropped)."""
        return [w for w in self._tokenizer().lcut(folded) if _WORDISH.search(w)]

    def canonical(self, word: str) -> str:
        return self._canonical.get(word, word)

    def synonyms_of(self, word: str) -> list[str]:
        """All words of ``word``'s synonym group (itself included)."""
        head = self._canonical.get(word)
        if head is None:
            return [word]
        return [w for w, h in self._canonical.items() if h == head]

    def terms(self, text: str) -> list[str]:
        """Index terms of ``text``, in order, with repeats."""
        folded = fold(text)
        out = [
            "w" + self.canonical(w)
            for w in self.words(folded)
            if w not in STOP_WORDS and (len(w) > 1 or _ALNUM.match(w))
        ]
        out.extend("b" + g for g in cjk_bigrams(folded))
        return out

    def highlight_keys(self, text: str) -> tuple[set[str], set[str]]:
        """Query words (with synonyms) and bigrams, folded, to find in a document's text."""
        folded = fold(text)
        words: set[str] = set()
        for w in self.words(folded):
            if w in STOP_WORDS:
                continue
            if len(w) >= 2 or _ALNUM.match(w):
                words.update(self.synonyms_of(w))
        return words, set(cjk_bigrams(folded))


def term_counts(terms: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in terms:
        counts[t] = counts.get(t, 0) + 1
    return counts

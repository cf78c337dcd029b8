"""The knowledge-base service: keeps the index fresh and answers searches."""

from __future__ import annotations

import json
import math
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from agent_app.deferred import load as load_deferred
from agent_app.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from agent_app.services.kb.model import Article, IndexInfo, RankingParams, SearchHit, Span
    from agent_app.services.kb.tokenizer import Analyzer

MAX_QUERY_CHARS = 4000
SNIPPET_CHARS = 120
_CACHE_LIMIT = 200_000
_SENTENCE_END = "。！？!?；;\n"


def _index() -> ModuleType:
    """:mod:`agent_app.services.kb.index`.  It and the loader and tokenizer are imported when
    the index is first opened or searched (in a worker), not with this module: the window
    builds its :class:`KnowledgeBase` before its first paint.  So is :mod:`.model` (its
    dataclasses cost the start-up ~4 ms): the methods that make its records import it."""
    return load_deferred("agent_app.services.kb.index")


def _loader() -> ModuleType:
    """:mod:`agent_app.services.kb.loader` (see :func:`_index`)."""
    return load_deferred("agent_app.services.kb.loader")


def _tokenizer() -> ModuleType:
    """:mod:`agent_app.services.kb.tokenizer` (see :func:`_index`)."""
    return load_deferred("agent_app.services.kb.tokenizer")


class PlaceholderArticleError(UsageError):
    """The article is sample content (示例内容): its text may not go into a reply."""


class KnowledgeBase:
    """Search over the articles and answer collections of one knowledge-base directory.

    The index at ``index_path`` is a cache: it is (re)built from ``kb_dir`` when it is missing,
    when the content's fingerprint changed or when the index format changed.  The content is
    checked again at most every ``check_interval`` seconds.  Methods may be called from any
    thread; one search runs at a time.
    """

    def __init__(
        self,
        kb_dir: Path,
        index_path: Path,
        *,
        params: RankingParams | None = None,
        check_interval: float = 5.0,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.kb_dir = Path(kb_dir)
        self.index_path = Path(index_path)
        self._params = params  # None: the defaults, made on first use (see _index)
        self._check_interval = check_interval
        self._today = today
        self._lock = threading.RLock()
        self._con: sqlite3.Connection | None = None
        self._checked_at = -math.inf
        self._info: IndexInfo | None = None
        self._analyzer: Analyzer | None = None
        self._fingerprint = ""
        self._n = 0
        self._ids: list[str] = []
        self._idx_by_id: dict[str, int] = {}
        self._categories: list[tuple[str, ...]] = []
        self._valid: list[tuple[str | None, str | None]] = []
        self._cache: dict[str, tuple[int, Any, Any, Any] | None] = {}
        self._mask_day: date | None = None
        self._valid_mask: Any = None
        self._category_masks: dict[str, Any] = {}

    @property
    def params(self) -> RankingParams:
        """The ranking parameters (given, or the defaults)."""
        if self._params is None:
            from agent_app.services.kb.model import RankingParams  # noqa: PLC0415 - see _index

            self._params = RankingParams()
        return self._params

    # ------------------------------------------------------------------ index lifecycle

    def ensure_index(self) -> IndexInfo:
        """Open the index, building or rebuilding it first when the content changed."""
        with self._lock:
            now = time.monotonic()
            if self._con is not None and now - self._checked_at < self._check_interval:
                assert self._info is not None
                return self._info
            files = _loader().content_files(self.kb_dir) if self.kb_dir.is_dir() else None
            if files is None:
                raise ConfigError(
                    f"The knowledge-base directory {self.kb_dir} does not exist; check --kb-dir."
                )
            fp = (
                _loader().fingerprint(self.kb_dir, files, _index().FORMAT_VERSION)
                + self._params_hash()
            )
            self._checked_at = now
            if self._con is not None and fp == self._fingerprint:
                assert self._info is not None
                return self._info
            if self._analyzer is None or fp != self._fingerprint:
                self._analyzer = _tokenizer().Analyzer(_loader().load_synonyms(self.kb_dir))
            meta = _index().read_meta(self.index_path)
            if meta.get("fingerprint") == fp and meta.get("format_version") == str(
                _index().FORMAT_VERSION
            ):
                from agent_app.services.kb.model import IndexInfo  # noqa: PLC0415 - see _index

                info = IndexInfo(
                    path=str(self.index_path),
                    documents=int(meta.get("documents", "0")),
                    terms=int(meta.get("terms", "0")),
                    fingerprint=fp,
                    format_version=_index().FORMAT_VERSION,
                    built_at=meta.get("built_at", ""),
                )
            else:
                articles = _loader().load_articles(self.kb_dir, files)
                info = _index().build_index(
                    articles, self._analyzer, self.index_path, fingerprint=fp, params=self.params
                )
            self._open(fp)
            self._info = info
            return info

    def _params_hash(self) -> str:
        import hashlib  # noqa: PLC0415 - tiny

        return hashlib.sha256(self.params.index_key().encode()).hexdigest()[:8]

    def _open(self, fp: str) -> None:
        if self._con is not None:
            self._con.close()
        try:
            con = sqlite3.connect(
                f"file:{self.index_path}?mode=ro", uri=True, check_same_thread=False
            )
            rows = con.execute(
                "SELECT idx, id, categories, valid_from, valid_to FROM docs ORDER BY idx"
            ).fetchall()
        except sqlite3.Error as exc:
            raise ConfigError(
                f"The knowledge-base index {self.index_path} cannot be read ({exc}); "
                "delete it and it will be rebuilt."
            ) from None
        self._con = con
        self._fingerprint = fp
        self._ids = [r[1] for r in rows]
        self._idx_by_id = {ident: i for i, ident in enumerate(self._ids)}
        self._categories = [tuple(json.loads(r[2])) for r in rows]
        self._valid = [(r[3], r[4]) for r in rows]
        self._n = len(rows)
        self._cache = {}
        self._mask_day = None
        self._category_masks = {}

    def warm_up(self) -> IndexInfo:
        """Build or open the index and load the tokenizer, so the first search is fast."""
        info = self.ensure_index()
        self.search("供暖 停水 物业", k=1)
        return info

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    # ------------------------------------------------------------------ reading

    def article(self, article_id: str) -> Article:
        """The article with this id; :class:`UsageError` when there is none."""
        self.ensure_index()
        with self._lock:
            assert self._con is not None
            row = self._con.execute(
                "SELECT id, title, body, answer, keywords, categories, unit, valid_from, "
                "valid_to, updated, source, sample, kind, path, placeholder FROM docs "
                "WHERE id = ?",
                (article_id,),
            ).fetchone()
        if row is None:
            raise UsageError(f"No knowledge-base article has the id {article_id!r}.")
        from agent_app.services.kb.model import Article  # noqa: PLC0415 - see _index

        return Article(
            id=row[0],
            title=row[1],
            body=row[2],
            answer=row[3],
            keywords=tuple(json.loads(row[4])),
            categories=tuple(json.loads(row[5])),
            unit=row[6],
            valid_from=date.fromisoformat(row[7]) if row[7] else None,
            valid_to=date.fromisoformat(row[8]) if row[8] else None,
            updated=date.fromisoformat(row[9]) if row[9] else None,
            source=row[10],
            sample=bool(row[11]),
            kind=row[12],
            path=row[13],
            placeholder=bool(row[14]),
        )

    def reply_text(self, article_id: str) -> str:
        """The answer text of an article for a reply (inserted into a ticket, read to a caller).

        Raises :class:`PlaceholderArticleError` when the article is sample content (示例内容,
        :attr:`Article.placeholder`), :class:`UsageError` when there is no such article: every
        path that puts knowledge-base text into a ticket goes through here.
        """
        article = self.article(article_id)
        if article.placeholder:
            raise PlaceholderArticleError(
                f"The knowledge-base article {article.title!r} is sample content (示例内容), "
                "not a verified answer; it cannot be used in a reply: answer the caller "
                "yourself or choose another article."
            )
        return article.answer

    def categories(self) -> list[str]:
        """Every category code used by the content, sorted."""
        self.ensure_index()
        with self._lock:
            return sorted({c for cats in self._categories for c in cats})

    def __len__(self) -> int:
        self.ensure_index()
        return self._n

    # ------------------------------------------------------------------ searching

    def search(
        self,
        query: str,
        k: int = 5,
        category: str | None = None,
        *,
        include_expired: bool = False,
    ) -> list[SearchHit]:
        """The ``k`` best articles for ``query``, with snippets and match spans.

        ``category`` keeps articles whose category code equals it or starts with it followed
        by ``/``.  Articles outside their validity period are left out unless
        ``include_expired``.
        """
        ranked, highlight = self._rank(query, k, category, include_expired)
        if not ranked:
            return []
        with self._lock:
            assert self._con is not None
            marks = ",".join("?" * len(ranked))
            rows = {
                r[0]: r
                for r in self._con.execute(
                    "SELECT idx, display_title, body, sample, kind, placeholder FROM docs "
                    f"WHERE idx IN ({marks})",
                    [i for i, _ in ranked],
                )
            }
        from agent_app.services.kb.model import SearchHit  # noqa: PLC0415 - see _index

        hits = []
        for idx, score in ranked:
            _, title, body, sample, kind, placeholder = rows[idx]
            snippet, spans = _snippet(body, highlight)
            hits.append(
                SearchHit(
                    article_id=self._ids[idx],
                    title=title,
                    snippet=snippet,
                    snippet_spans=spans,
                    title_spans=_match_spans(title, highlight),
                    score=score,
                    categories=self._categories[idx],
                    kind=kind,
                    sample=bool(sample),
                    placeholder=bool(placeholder),
                )
            )
        return hits

    def search_ids(self, query: str, k: int = 5, category: str | None = None) -> list[str]:
        """Only the ids of the ``k`` best articles (no snippets): for batch evaluation."""
        ranked, _ = self._rank(query, k, category, False)
        return [self._ids[i] for i, _ in ranked]

    def _rank(
        self, query: str, k: int, category: str | None, include_expired: bool
    ) -> tuple[list[tuple[int, float]], tuple[set[str], set[str]]]:
        import numpy as np  # noqa: PLC0415 - heavy, only once the first search runs

        if k < 1:
            raise UsageError("The number of results must be 1 or more.")
        self.ensure_index()
        query = _tokenizer().strip_boilerplate(query[:MAX_QUERY_CHARS])
        with self._lock:
            analyzer = self._analyzer
            assert analyzer is not None
            n = self._n
            terms = analyzer.terms(query)
            if not terms or n == 0:
                return [], (set(), set())
            qtf: dict[str, int] = {}
            for t in terms:
                qtf[t] = qtf.get(t, 0) + 1
            postings = self._postings(list(qtf))
            p = self.params
            prune = n >= _index().PRUNE_MIN_DOCS
            use_bm25 = p.bm25_weight > 0.0
            doc_parts = []
            bm25_parts = []
            cos_parts = []
            q_norm2 = 0.0
            rare_bigrams: set[str] = set()
            for term, tf in qtf.items():
                entry = postings.get(term)
                if entry is None:
                    continue
                df, docs, impacts, cosines = entry
                if prune and df > p.max_df_ratio * n:
                    continue
                idf = _index().idf(n, df)
                ns = p.word_weight if term[0] == "w" else p.bigram_weight
                cw = ns * (1.0 + math.log(tf)) * idf
                q_norm2 += cw * cw
                doc_parts.append(docs)
                cos_parts.append(cosines * np.float32(cw))
                if use_bm25:
                    qw = ns * (p.k3 + 1.0) * tf / (p.k3 + tf)
                    bm25_parts.append(impacts * np.float32(idf * qw))
                if term[0] == "b" and (not prune or df <= 0.2 * n):
                    rare_bigrams.add(term[1:])
            if not doc_parts or q_norm2 <= 0.0:
                return [], (set(), set())
            all_docs = np.concatenate(doc_parts)
            cosine = np.bincount(all_docs, weights=np.concatenate(cos_parts), minlength=n)
            scores = cosine * (p.cosine_weight / math.sqrt(q_norm2))
            if use_bm25:
                bm25 = np.bincount(all_docs, weights=np.concatenate(bm25_parts), minlength=n)
                best = float(bm25.max())
                if best > 0.0:
                    scores = scores + bm25 * (p.bm25_weight / best)
            mask = self._mask(category, include_expired, np)
            if mask is not None:
                scores[~mask] = 0.0
            kk = min(k, n)
            top = np.argpartition(-scores, kk - 1)[:kk] if kk < n else np.arange(n)
            top = top[np.argsort(-scores[top], kind="stable")]
            ranked = [(int(i), float(scores[i])) for i in top if scores[i] > 0.0]
            words, _ = analyzer.highlight_keys(query)
        return ranked, (words, rare_bigrams)

    def _postings(self, terms: list[str]) -> dict[str, tuple[int, Any, Any, Any]]:
        import numpy as np  # noqa: PLC0415 - see _rank

        assert self._con is not None
        out: dict[str, tuple[int, Any, Any, Any]] = {}
        missing = []
        for t in terms:
            if t in self._cache:
                entry = self._cache[t]
                if entry is not None:
                    out[t] = entry
            else:
                missing.append(t)
        if missing:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for term, df, docs, impacts, cosines in self._con.execute(
                    "SELECT term, df, docs, impacts, cosines FROM postings "
                    f"WHERE term IN ({marks})",
                    chunk,
                ):
                    entry = (
                        int(df),
                        np.frombuffer(docs, dtype=np.int32),
                        np.frombuffer(impacts, dtype=np.float32),
                        np.frombuffer(cosines, dtype=np.float32),
                    )
                    self._cache[term] = entry
                    out[term] = entry
            for t in missing:
                self._cache.setdefault(t, None)
        return out

    def _mask(self, category: str | None, include_expired: bool, np: Any) -> Any:
        mask = None
        if not include_expired:
            day = self._today()
            if self._mask_day != day:
                iso = day.isoformat()
                self._valid_mask = np.array(
                    [
                        (vf is None or vf <= iso) and (vt is None or vt >= iso)
                        for vf, vt in self._valid
                    ],
                    dtype=bool,
                )
                self._mask_day = day
            if not self._valid_mask.all():
                mask = self._valid_mask
        if category:
            cat = self._category_masks.get(category)
            if cat is None:
                prefix = category.rstrip("/") + "/"
                cat = np.array(
                    [
                        any(c == category or c.startswith(prefix) for c in cats)
                        for cats in self._categories
                    ],
                    dtype=bool,
                )
                self._category_masks[category] = cat
            mask = cat if mask is None else (mask & cat)
        return mask


# ---------------------------------------------------------------------- highlighting


def _marks(text: str, highlight: tuple[set[str], set[str]]) -> list[bool]:
    words, bigrams = highlight
    folded = _tokenizer().fold(text)
    marked = [False] * len(text)
    if bigrams:
        for i in range(len(folded) - 1):
            if folded[i : i + 2] in bigrams:
                marked[i] = marked[i + 1] = True
    for w in words:
        start = folded.find(w)
        while start >= 0:
            for j in range(start, start + len(w)):
                marked[j] = True
            start = folded.find(w, start + len(w))
    return marked


def _spans(marked: list[bool], offset: int = 0, end: int | None = None) -> tuple[Span, ...]:
    out: list[Span] = []
    stop = len(marked) if end is None else end
    i = offset
    while i < stop:
        if marked[i]:
            j = i
            while j < stop and marked[j]:
                j += 1
            out.append((i - offset, j - offset))
            i = j
        else:
            i += 1
    return tuple(out)


def _match_spans(text: str, highlight: tuple[set[str], set[str]]) -> tuple[Span, ...]:
    return _spans(_marks(text, highlight))


def _snippet(body: str, highlight: tuple[set[str], set[str]]) -> tuple[str, tuple[Span, ...]]:
    """The window of ``body`` with the most matched characters, and the match spans in it."""
    text = " ".join(body.split())
    marked = _marks(text, highlight)
    if len(text) <= SNIPPET_CHARS:
        return text, _spans(marked)
    prefix = [0]
    for m in marked:
        prefix.append(prefix[-1] + m)
    best, best_start = -1, 0
    for start in range(0, len(text) - SNIPPET_CHARS + 1):
        count = prefix[start + SNIPPET_CHARS] - prefix[start]
        if count > best:
            best, best_start = count, start
    start = best_start
    # start at a sentence boundary shortly before the best window, when there is one
    first_mark = next((i for i in range(start, start + SNIPPET_CHARS) if marked[i]), start)
    for i in range(first_mark - 1, max(-1, first_mark - 40), -1):
        if i < 0 or text[i] in _SENTENCE_END:
            start = i + 1
            break
    end = min(len(text), start + SNIPPET_CHARS)
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    spans = tuple((a + len(lead), b + len(lead)) for a, b in _spans(marked, start, end))
    return lead + text[start:end] + tail, spans

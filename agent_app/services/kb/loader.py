"""Read knowledge-base content from files.

Layout of a knowledge-base directory::

    articles/**/*.md      one article per file, with front matter (see below)
    answers/**/*.csv      answer collections: one answer per row
    kb_synonyms.txt       synonym groups, one group per line (see tokenizer)

An article starts with a front-matter block between two ``---`` lines.  Only a small,
YAML-like subset is read: ``key: value`` lines, inline lists ``[a, b]`` and block lists
(``- item`` lines under ``key:``).  Known keys: ``id`` (default: the file name), ``title``,
``keywords``, ``categories``, ``unit``, ``valid_from``, ``valid_to``, ``updated`` (ISO dates),
``source``, ``sample`` (true/false).  The text the operator inserts is the section headed
``## 答复口径`` when there is one, else the whole body.

An answer collection is a UTF-8 CSV with columns ``id`` and ``body`` and optionally ``title``,
``keywords``, ``categories`` (separated by ``;``), ``unit``, ``valid_from``, ``valid_to``,
``updated``, ``source``.

Placeholder content: an article or answer is *sample content* (``Article.placeholder``), not
a verified answer, when its front matter says ``sample: true``, or when its ``source`` or any
paragraph of its text (a line, after quote and list marks) begins with ``示例内容``.  Such a
document is indexed and found by searches (the operator sees that the topic exists) but its
text never goes into a ticket or to a caller: see :meth:`KnowledgeBase.reply_text`.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from agent_app.errors import ConfigError, UsageError
from agent_app.services.kb.model import Article

ARTICLES_DIR = "articles"
ANSWERS_DIR = "answers"
SYNONYMS_FILE = "kb_synonyms.txt"
ANSWER_SECTION = "答复口径"
PLACEHOLDER_MARKER = "示例内容"
"""Text that opens a note marking sample (placeholder) content."""
ANSWER_COLUMNS = (
    "id",
    "title",
    "body",
    "keywords",
    "categories",
    "unit",
    "valid_from",
    "valid_to",
    "updated",
    "source",
)
_LIST_SPLIT = re.compile(r"[;；|]")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class ContentFile:
    """A content file and the stat data that goes into the fingerprint."""

    path: Path
    relpath: str
    size: int
    mtime_ns: int


def content_files(kb_dir: Path) -> list[ContentFile]:
    """All content files of ``kb_dir`` in a stable order."""
    files: list[ContentFile] = []
    patterns = ((ARTICLES_DIR, "*.md"), (ANSWERS_DIR, "*.csv"))
    for sub, pattern in patterns:
        root = kb_dir / sub
        if root.is_dir():
            for path in sorted(root.rglob(pattern)):
                if path.is_file() and not any(p.startswith(".") for p in path.parts[-2:]):
                    st = path.stat()
                    rel = path.relative_to(kb_dir).as_posix()
                    files.append(ContentFile(path, rel, st.st_size, st.st_mtime_ns))
    syn = kb_dir / SYNONYMS_FILE
    if syn.is_file():
        st = syn.stat()
        files.append(ContentFile(syn, SYNONYMS_FILE, st.st_size, st.st_mtime_ns))
    return files


def fingerprint(kb_dir: Path, files: Iterable[ContentFile], format_version: int) -> str:
    """A hash of the directory, the file names, sizes and times, and the index format."""
    h = hashlib.sha256()
    h.update(f"v{format_version}\0{kb_dir.resolve()}\0".encode())
    for f in files:
        h.update(f"{f.relpath}\0{f.size}\0{f.mtime_ns}\0".encode())
    return h.hexdigest()[:32]


# ---------------------------------------------------------------------------- front matter


def split_front_matter(text: str) -> tuple[dict[str, str | list[str]], str]:
    """Split ``text`` into its front-matter mapping and the body."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ValueError("front matter is not closed by a '---' line") from None
    meta: dict[str, str | list[str]] = {}
    key: str | None = None
    for number, raw in enumerate(lines[1:end], start=2):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        stripped = line.strip()
        if stripped.startswith("- ") or stripped == "-":
            if key is None:
                raise ValueError(f"line {number}: list item without a key")
            current = meta.get(key)
            items = current if isinstance(current, list) else []
            items.append(_unquote(stripped[1:].strip()))
            meta[key] = items
            continue
        if ":" not in line:
            raise ValueError(f"line {number}: expected 'key: value'")
        key, _, value = line.partition(":")
        key = key.strip()
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            inner = value[1:-1]
            meta[key] = [_unquote(v.strip()) for v in inner.split(",") if v.strip()]
        elif value:
            meta[key] = _unquote(value)
        else:
            meta[key] = []
    body = "\n".join(lines[end + 1 :]).strip("\n")
    return meta, body


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _as_list(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(v for v in value if v)
    return tuple(v.strip() for v in _LIST_SPLIT.split(value) if v.strip())


def _as_text(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "；".join(value)
    return value.strip()


def _as_date(value: str | list[str] | None, what: str) -> date | None:
    text = _as_text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} is not an ISO date (YYYY-MM-DD): {text!r}") from None


def _as_bool(value: str | list[str] | None) -> bool:
    return _as_text(value).lower() in {"true", "yes", "1", "是"}


def answer_section(body: str) -> str:
    """The ``## 答复口径`` section of a Markdown body, or the whole body without headings."""
    lines = body.splitlines()
    start = None
    level = 0
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m and m.group(2).strip() == ANSWER_SECTION:
            start, level = i + 1, len(m.group(1))
            break
    if start is None:
        chosen = lines
    else:
        end = len(lines)
        for j in range(start, len(lines)):
            m = _HEADING.match(lines[j])
            if m and len(m.group(1)) <= level:
                end = j
                break
        chosen = lines[start:end]
    return plain_text("\n".join(chosen))


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable plain text (headings, quote and emphasis marks dropped)."""
    out = []
    for line in markdown.splitlines():
        if _HEADING.match(line):
            continue  # structure only: the title is indexed on its own
        line = re.sub(r"^\s*>\s?", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "· ", line)
        line = line.replace("**", "").replace("__", "").replace("`", "")
        out.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def is_placeholder(*, sample: bool, source: str, text: str) -> bool:
    """True when a document is sample content that must not be used in a reply: the front
    matter says ``sample: true``, or ``source`` or a line of the plain ``text`` begins with
    :data:`PLACEHOLDER_MARKER` (quote marks, list bullets and blanks before it ignored)."""
    if sample or source.lstrip().startswith(PLACEHOLDER_MARKER):
        return True
    return any(
        line.lstrip(" \t\u3000>·-*+").startswith(PLACEHOLDER_MARKER) for line in text.splitlines()
    )


def parse_article(text: str, relpath: str) -> Article:
    """Build an :class:`Article` from the text of a Markdown file."""
    try:
        meta, body = split_front_matter(text)
        default_id = Path(relpath).stem
        title = _as_text(meta.get("title"))
        if not title:
            m = next((_HEADING.match(x) for x in body.splitlines() if _HEADING.match(x)), None)
            title = m.group(2) if m else default_id
        plain = plain_text(body)
        sample = _as_bool(meta.get("sample"))
        source = _as_text(meta.get("source"))
        return Article(
            id=_as_text(meta.get("id")) or default_id,
            title=title,
            body=plain,
            answer=answer_section(body),
            keywords=_as_list(meta.get("keywords")),
            categories=_as_list(meta.get("categories")),
            unit=_as_text(meta.get("unit")),
            valid_from=_as_date(meta.get("valid_from"), "valid_from"),
            valid_to=_as_date(meta.get("valid_to"), "valid_to"),
            updated=_as_date(meta.get("updated"), "updated"),
            source=source,
            sample=sample,
            kind="article",
            path=relpath,
            placeholder=is_placeholder(sample=sample, source=source, text=plain),
        )
    except ValueError as exc:
        raise ConfigError(
            f"The article {relpath} has bad front matter ({exc}); fix the file."
        ) from None


def read_answer_collection(path: Path, relpath: str) -> Iterator[Article]:
    """Yield the rows of an answer-collection CSV as articles."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("id", "body") if c not in (reader.fieldnames or [])]
        if missing:
            raise ConfigError(
                f"The answer collection {relpath} lacks the column(s) {', '.join(missing)}; "
                "re-import it with 'agent-app kb import-csv'."
            )
        for row_number, row in enumerate(reader, start=2):
            ident = (row.get("id") or "").strip()
            body = (row.get("body") or "").strip()
            if not ident or not body:
                continue
            source = (row.get("source") or "").strip()
            try:
                yield Article(
                    id=ident,
                    title=(row.get("title") or "").strip(),
                    body=body,
                    answer=body,
                    keywords=_as_list(row.get("keywords")),
                    categories=_as_list(row.get("categories")),
                    unit=(row.get("unit") or "").strip(),
                    valid_from=_as_date(row.get("valid_from"), "valid_from"),
                    valid_to=_as_date(row.get("valid_to"), "valid_to"),
                    updated=_as_date(row.get("updated"), "updated"),
                    source=source,
                    kind="answer",
                    path=relpath,
                    placeholder=is_placeholder(sample=False, source=source, text=body),
                )
            except ValueError as exc:
                raise ConfigError(f"{relpath} row {row_number}: {exc}; fix the file.") from None


def load_articles(kb_dir: Path, files: Iterable[ContentFile] | None = None) -> list[Article]:
    """Every article and answer of ``kb_dir``; ids must be unique."""
    if not kb_dir.is_dir():
        raise ConfigError(f"The knowledge-base directory {kb_dir} does not exist; check --kb-dir.")
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for f in files if files is not None else content_files(kb_dir):
        if f.relpath == SYNONYMS_FILE:
            continue
        if f.relpath.endswith(".md"):
            try:
                text = f.path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise ConfigError(f"The article {f.path} is not UTF-8 text; re-save it.") from None
            batch: Iterable[Article] = [parse_article(text, f.relpath)]
        else:
            batch = read_answer_collection(f.path, f.relpath)
        for article in batch:
            if article.id in seen:
                raise ConfigError(
                    f"The id {article.id!r} occurs in both {seen[article.id]} and "
                    f"{f.relpath}; give one of them another id."
                )
            seen[article.id] = f.relpath
            articles.append(article)
    return articles


def load_synonyms(kb_dir: Path) -> list[list[str]]:
    """Synonym groups: one per line, words separated by spaces or commas; ``#`` comments."""
    path = kb_dir / SYNONYMS_FILE
    if not path.is_file():
        return []
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        words = [w for w in re.split(r"[\s,，、=]+", line) if w]
        if len(words) >= 2:
            groups.append(words)
    return groups


# ---------------------------------------------------------------------------- CSV import


def import_csv(
    csv_path: Path,
    kb_dir: Path,
    *,
    id_column: str,
    body_column: str,
    title_column: str | None = None,
) -> tuple[Path, int]:
    """Copy the rows of ``csv_path`` into ``kb_dir/answers/<name>.csv`` as an answer collection.

    Returns the written file and the number of answers.  Rows with an empty body are skipped;
    an empty or repeated id is an error (named with its row number).
    """
    if not csv_path.is_file():
        raise UsageError(f"The CSV file {csv_path} does not exist; check the path.")
    rows = _read_csv_rows(csv_path)
    header = rows[0] if rows else []
    wanted = [("--id-column", id_column), ("--body-column", body_column)]
    if title_column:
        wanted.append(("--title-column", title_column))
    for flag, column in wanted:
        if column not in header:
            shown = ", ".join(header[:12]) + (" …" if len(header) > 12 else "")
            raise UsageError(
                f"{csv_path} has no column {column!r} (given by {flag}); its columns are: {shown}."
            )
    col = {name: header.index(name) for _, name in wanted}
    out_rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(header) - len(row))
        ident = row[col[id_column]].strip()
        body = row[col[body_column]].strip()
        if not body:
            continue
        if not ident:
            raise UsageError(f"{csv_path} row {number} has an empty id in column {id_column!r}.")
        if ident in seen:
            raise UsageError(
                f"{csv_path} row {number} repeats the id {ident!r}; ids must be unique."
            )
        seen.add(ident)
        out_rows.append(
            {
                "id": ident,
                "title": row[col[title_column]].strip() if title_column else "",
                "body": body,
                "source": f"{csv_path.name} row {number}",
            }
        )
    if not out_rows:
        raise UsageError(f"{csv_path} has no row with both an id and a body; nothing imported.")
    target_dir = kb_dir / ANSWERS_DIR
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{_safe_stem(csv_path.stem)}.csv"
        tmp = target.with_suffix(".csv.tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=ANSWER_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(out_rows)
        tmp.replace(target)
    except OSError as exc:
        raise ConfigError(
            f"Cannot write the answer collection into {target_dir} ({exc.strerror or exc}); "
            "check --kb-dir and its permissions."
        ) from None
    return target, len(out_rows)


def _read_csv_rows(path: Path) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with path.open(encoding=encoding, newline="") as fh:
                return [row for row in csv.reader(fh)]
        except UnicodeDecodeError:
            continue
        except csv.Error as exc:
            raise UsageError(f"{path} is not a readable CSV file ({exc}).") from None
    raise UsageError(f"{path} is neither UTF-8 nor GB18030 text; convert it to UTF-8.")


def _safe_stem(stem: str) -> str:
    cleaned = re.sub(r"[^\w.-]+", "_", stem).strip("._")
    return cleaned or "answers"

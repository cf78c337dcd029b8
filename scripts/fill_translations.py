"""Fill the English Qt Linguist file from the reviewed glossary (`make i18n` runs this).

    python scripts/fill_translations.py [--ts resources/i18n/en.ts]
        [--glossary resources/i18n/en_glossary.tsv] [--check]

For every <message> in the .ts file whose source text is in the glossary, the <translation>
is set from the glossary and its type="unfinished" removed.  The glossary wins over what the
.ts already holds; messages not in the glossary keep a translation made in Qt Linguist.  The
placeholders ({0}, {name}, {0:02d}, %1, %n) and HTML tags of each translation must match its
source, or the script stops without writing.  It prints the messages still untranslated and,
with --check, exits 1 when there are any (without writing the file).

Glossary: one line per source text, tab-separated ``source<TAB>English[<TAB>context]`` (a line
with a context overrides the context-free one there); ``#`` starts a comment line; ``\\n``,
``\\t`` and ``\\\\`` are escapes.  Numerus forms are separated by `` || ``.
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "en.ts"
GLOSSARY = ROOT / "resources" / "i18n" / "en_glossary.tsv"

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%L?\d+|%n|</?[A-Za-z][^<>]*>|&[a-z]+;")
ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\([nt\\])", lambda m: ESCAPES[m.group(1)], text)


def load_glossary(path: Path) -> dict[tuple[str | None, str], str]:
    """(context or None, source) -> translation."""
    table: dict[tuple[str | None, str], str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3) or not fields[0] or not fields[1].strip():
            raise SystemExit(f"{path}:{number}: expected source<TAB>English[<TAB>context]")
        context = fields[2] if len(fields) == 3 else None
        key = (context, _unescape(fields[0]))
        if key in table:
            raise SystemExit(f"{path}:{number}: {fields[0]!r} appears twice")
        table[key] = _unescape(fields[1])
    return table


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def fill(
    root: ET.Element, glossary: dict[tuple[str | None, str], str]
) -> tuple[int, int, list[str]]:
    """Fill translations in place; return (filled, kept, missing descriptions)."""
    filled = kept = 0
    missing: list[str] = []
    errors: list[str] = []
    for context in root.findall("context"):
        name = context.findtext("name", "")
        for message in context.findall("message"):
            source = message.findtext("source", "")
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            if translation.get("type") in ("obsolete", "vanished"):
                continue
            location = message.find("location")
            where = (
                f"{location.get('filename', '').removeprefix('../../')}:{location.get('line')}"
                if location is not None
                else "?"
            )
            english = glossary.get((name, source), glossary.get((None, source)))
            numerus = message.get("numerus") == "yes"
            if english is None:
                forms = (
                    [f.text or "" for f in translation.findall("numerusform")]
                    if numerus
                    else [translation.text or ""]
                )
                if translation.get("type") != "unfinished" and all(f.strip() for f in forms):
                    kept += 1
                else:
                    missing.append(f"{where} [{name or '<no context>'}] {source!r}")
                continue
            if placeholders(english) != placeholders(source):
                errors.append(
                    f"{where}: placeholders/tags differ: {source!r} -> {english!r} "
                    f"({sorted(placeholders(source).elements())} vs "
                    f"{sorted(placeholders(english).elements())})"
                )
                continue
            if numerus:
                forms = english.split(" || ")
                elements = translation.findall("numerusform") or [
                    ET.SubElement(translation, "numerusform") for _ in range(2)
                ]
                for i, element in enumerate(elements):
                    element.text = forms[min(i, len(forms) - 1)]
            else:
                translation.text = english
            translation.attrib.pop("type", None)
            filled += 1
    if errors:
        raise SystemExit("fill_translations: not written:\n  " + "\n  ".join(errors))
    return filled, kept, missing


def write(root: ET.Element, path: Path) -> None:
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ts", type=Path, default=TS)
    parser.add_argument("--glossary", type=Path, default=GLOSSARY)
    parser.add_argument("--check", action="store_true", help="exit 1 if anything is untranslated")
    args = parser.parse_args(argv)

    root = ET.parse(args.ts).getroot()
    root.set("language", "en")
    root.set("sourcelanguage", "zh_CN")
    filled, kept, missing = fill(root, load_glossary(args.glossary))
    total = filled + kept + len(missing)
    print(  # noqa: T201 - a command-line tool
        f"{args.ts.name}: {filled + kept}/{total} translated "
        f"({filled} from the glossary, {kept} kept)"
    )
    if missing:
        print(  # noqa: T201
            f"{len(missing)} untranslated: add them to {args.glossary.name} and run `make i18n`:\n  "
            + "\n  ".join(missing),
            file=sys.stderr,
        )
        if args.check:
            return 1
    write(root, args.ts)
    return 0


if __name__ == "__main__":
    sys.exit(main())

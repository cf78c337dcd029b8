"""Masking of personal data (names, phone numbers, ID and bank card numbers).

Phone numbers and names are masked by default wherever a ticket is shown to someone who does
not need them (条例 art.8, 28; GB/T 33358 保密处理).  The same patterns keep personal data out
of log files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

_DIGITS = re.compile(r"[^0-9]+")
# Full-width forms (IME input: １３８…, ＋８６, －) and any other Unicode decimal digit are read
# as ASCII before matching: a number typed in another script is still the number.
_FULLWIDTH = str.maketrans(
    {0xFF0B: "+", 0xFF0D: "-", 0xFF38: "X", 0xFF58: "x", 0x3000: " ", 0xFF08: "(", 0xFF09: ")"}
)
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
# A run of digit groups joined by at most four separator characters: "138 1234 5678", "138-1234-5678",
# "(010) 8765 4321", "+86 138…".  Each sub-run of groups is tried, longest first.
_SEPARATORS = " \t\u00a0\u2002\u2009\u202f\\-\u2010\u2011\u2012\u2013\u2014\u2015.\u00b7()/_"
_GROUP = re.compile(r"\d+")
_NUMBER_RUN = re.compile(rf"(?<!\d)\+?\d+(?:[{_SEPARATORS}]{{1,4}}\d+)*(?!\d)")

# Mainland mobile numbers, landlines with area code, 18-digit resident IDs, 16–19 digit cards.
PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
ID_CARD_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
BANK_CARD_RE = re.compile(r"(?<!\d)\d{16,19}(?!\d)")


def mask_phone(phone: str) -> str:
    """``13812341234`` → ``138****1234``; landlines keep the area code and last 4 digits."""
    digits = _DIGITS.sub("", phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if digits.startswith("0") and len(digits) >= 10:
        area = 3 if digits[1] in "12" else 4  # 010 and 02x are the short area codes
        local = digits[area:]
        keep = min(4, len(local) - 3)  # at least 3 digits hidden, even of a short local number
        return f"{digits[:area]}-{'*' * (len(local) - keep)}{local[-keep:]}"
    if len(digits) >= 7:
        return f"{'*' * (len(digits) - 4)}{digits[-4:]}"
    return "*" * len(digits)


def mask_name(name: str) -> str:
    """``张三`` → ``张*``; ``欧阳娜娜`` → ``欧***``; empty stays empty."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def ascii_digits(text: str) -> str:
    """``text`` with full-width (and other Unicode) digits, plus, minus and X as ASCII."""
    text = text.translate(_FULLWIDTH)
    if text.isascii():
        return text
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), text)


def _mask_digits(digits: str) -> str | None:
    """The mask of a personal number given as bare digits, or None for an ordinary number."""
    n = len(digits)
    if n == 18:
        return "[身份证号]"
    if digits.startswith("86") and n in (12, 13, 14):
        rest = digits[2:]
        if re.fullmatch(r"1[3-9]\d{9}", rest):
            return mask_phone(rest)
        if re.fullmatch(r"[1-9]\d{8,10}", rest):  # +86 10 8765 4321: the area code without 0
            return mask_phone("0" + rest)
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return mask_phone(digits)
    if re.fullmatch(r"0[1-9]\d{8,10}", digits):
        return mask_phone(digits)
    if 16 <= n <= 19:
        return "[卡号]"
    return None


def _redact_run(run: str) -> str:
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(run)]
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(groups):
        for j in range(len(groups), i, -1):
            digits = "".join(run[a:b] for a, b in groups[i:j])
            mask = _mask_digits(digits)
            if mask is not None:
                start = groups[i][0]
                if i == 0 and run.startswith("+"):
                    start = 0
                out.append(run[pos:start])
                out.append(mask)
                pos = groups[j - 1][1]
                i = j
                break
        else:
            i += 1
    out.append(run[pos:])
    return "".join(out)


def redact_text(text: str) -> str:
    """Replace phone, ID-card and bank-card numbers in free text by masks.

    Digits may be full-width (``１３８１２３４５６７８``) or split by spaces, dashes, dots or
    brackets (``138 1234 5678``, ``138-1234-5678``, ``(010) 8765-4321``): a mobile keeps its
    first 3 and last 4 digits, a landline its area code and last 4, an ID or card number none.
    """
    text = ascii_digits(text)
    text = ID_CARD_RE.sub("[身份证号]", text)
    return _NUMBER_RUN.sub(lambda m: _redact_run(m.group(0)), text)


# Confidential (保密) callers held masked -------------------------------------------------------

CONFIDENTIAL_NAME = "***"


def mask_confidential_phone(phone: str) -> str:
    """A confidential caller's number keeps nothing: every digit a ``*`` (as the centre's
    ``central.mask_caller``: the non-digits go, each ASCII digit becomes one ``*``)."""
    return "*" * len(_DIGITS.sub("", phone))


def mask_confidential_caller(caller: dict[str, object]) -> dict[str, object]:
    """The caller object of a ticket (``{"name", "phones", "confidential", ...}``) as a
    shift lead's seat holds it when the caller is confidential: the name ``***`` (empty stays
    empty), each number all ``*``; every other key unchanged.  The same result as the centre's
    ``central.mask_caller`` for a confidential caller, so a seat that masks a copy it held in
    clear ends with what the centre's pull gives."""
    name = str(caller.get("name") or "")
    phones = caller.get("phones")
    return {
        **caller,
        "name": CONFIDENTIAL_NAME if name.strip() else "",
        "phones": [mask_confidential_phone(str(p)) for p in phones]
        if isinstance(phones, list | tuple)
        else [],
    }


def caller_held_masked(name: str, phones: tuple[str, ...] | list[str], confidential: bool) -> bool:
    """Whether a ticket's caller is held masked at this seat (a confidential caller of a
    ticket another login took, pulled by a shift lead's seat): the name and the numbers are
    only ``*``.  Then the clear values exist at the centre only (``central.reveal_caller``)."""
    if not confidential:
        return False
    if any(not set(p) <= {"*"} for p in phones):
        return False  # a number in clear: the seat holds it (the login took the call)
    return name.strip() == CONFIDENTIAL_NAME or any(phones)


# The caller in a ticket's words (the retention purge) -----------------------------------------

# As the centre's ``central.mask_free_text`` (c0012), rule for rule: the seat's purge and the
# centre's purge leave the same words (tests/integration/test_mask_caller_differential.py).
ADDRESS_FORMS = ("先生", "女士", "小姐", "师傅", "阿姨", "大爷", "大妈", "奶奶", "爷爷", "老师")
MIN_NAME_CHARS = 2
MIN_OWN_DIGITS = 7
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_RUN = re.compile(r"[0-9](?:[ ()./-]?[0-9])*")
_DATE_RUN = re.compile(r"(19|20)[0-9]{2}([-./])[01]?[0-9]\2[0-3]?[0-9]( [0-2]?[0-9])?")
_NOT_DIGIT = re.compile(r"[^0-9]")
_CONFIDENTIAL_TRUE = ("true", "t", "1")


def _sql_mask_name(name: str) -> str:
    """``central.mask_name``: the first character, then ``*`` for each other (one at least)."""
    name = name.strip(" ")
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def _sql_mask_digits(run: str) -> str:
    """``central.mask_digits`` of one digit run: ten digits or more, or seven unseparated,
    become ``*`` but the last four digits (separators dropped); others stay."""
    digits = _NOT_DIGIT.sub("", run)
    if len(digits) >= 10 or (len(digits) >= 7 and digits == run):
        return "*" * (len(digits) - 4) + digits[-4:]
    return run


def _json_text(value: object) -> str:
    """What PostgreSQL's ``->>`` gives for a JSON value (None for null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def caller_numbers(caller: Mapping[str, object]) -> list[str]:
    """The caller's numbers as ``mask_free_text`` compares them: digits only (full-width read
    as ASCII), a leading ``86`` dropped from 11 digits on, seven digits at least."""
    phones = caller.get("phones")
    out = []
    for phone in phones if isinstance(phones, list | tuple) else ():
        digits = _NOT_DIGIT.sub("", _json_text(phone).translate(_FULLWIDTH_DIGITS))
        if digits.startswith("86") and len(digits) >= 11:
            digits = digits[2:]
        if len(digits) >= MIN_OWN_DIGITS:
            out.append(digits)
    return out


def mask_caller_in_text(text: str, caller: Mapping[str, object] | None) -> str:
    """``text`` with its caller masked, as the centre's ``central.mask_free_text(text,
    caller)`` does it (``caller`` is a ticket's caller object: ``name``, ``phones``,
    ``confidential``):

    * the caller's name (two characters at least), wherever written in full, ignoring case:
      ``mask_name`` (``王建国`` → ``王**``), for a confidential caller ``***``; for a
      confidential caller also the surname with a form of address (``王先生``) → ``***``;
    * full-width digits are read as ASCII; a digit run (digits joined by at most one of
      ``space ( ) . / -``) of seven digits or more that is not a date (``2026-12-06``, with or
      without its hour) is masked as ``caller_history`` masks it (ten digits or more, or seven
      unseparated: ``*`` but the last four); a run that rule leaves but that is part of one
      of the caller's numbers (or holds one) loses every digit; for a confidential caller
      every masked run loses every digit.

    Differs from :func:`redact_text` (logs, words sent to units at save time) on purpose:
    ID and card numbers keep their last four digits, as at the centre."""
    conf = False
    name = ""
    if isinstance(caller, Mapping):
        conf = _json_text(caller.get("confidential")) in _CONFIDENTIAL_TRUE
        name = _json_text(caller.get("name")).strip(" ")
    if len(name) >= MIN_NAME_CHARS:
        mask = CONFIDENTIAL_NAME if conf else _sql_mask_name(name)
        text = re.sub(re.escape(name), lambda _m: mask, text, flags=re.IGNORECASE)
    if conf and name[:1].isalpha():
        forms = "|".join(ADDRESS_FORMS)
        text = re.sub(f"{re.escape(name[0])}(?:{forms})", CONFIDENTIAL_NAME, text)
    text = text.translate(_FULLWIDTH_DIGITS)
    numbers: list[str] | None = None

    def run(m: re.Match[str]) -> str:
        nonlocal numbers
        found = m.group(0)
        digits = _NOT_DIGIT.sub("", found)
        if len(digits) < MIN_OWN_DIGITS or _DATE_RUN.fullmatch(found):
            return found
        masked = _sql_mask_digits(found)
        if numbers is None:
            numbers = caller_numbers(caller) if isinstance(caller, Mapping) else []
        if (conf and masked != found) or (
            masked == found and any(n in digits or digits in n for n in numbers)
        ):
            return "*" * len(digits)
        return masked

    return _RUN.sub(run, text)


# The words of a ticket (the seat's copy, its shadow, its outbox payloads) as the centre's
# purge (c0014, ``central.purge_mask_data`` / ``purge_mask_event``) rewrites them.
TICKET_TEXT_FIELDS = ("description", "notes", "outcome_detail")
EVENT_TEXT_FIELDS = ("text", "reason")


def mask_caller_in_event_data(
    data: Mapping[str, Any], caller: Mapping[str, object] | None
) -> dict[str, Any]:
    """An event's data with the caller masked in its words: ``text`` (a repeat call's, a
    unit's note or reply), ``reason`` and ``callback.words``; everything else as it was."""
    out = dict(data)
    if not isinstance(caller, Mapping):
        return out
    for key in EVENT_TEXT_FIELDS:
        if isinstance(out.get(key), str):
            out[key] = mask_caller_in_text(out[key], caller)
    callback = out.get("callback")
    if isinstance(callback, Mapping) and isinstance(callback.get("words"), str):
        out["callback"] = {**callback, "words": mask_caller_in_text(callback["words"], caller)}
    return out


def mask_caller_in_ticket_data(
    data: Mapping[str, Any], caller: Mapping[str, object] | None
) -> dict[str, Any]:
    """A ticket as a dict (``serialize.ticket_to_dict``: a sync shadow, an outbox payload, a
    conflict's side) with the caller masked in ``description``, ``notes``,
    ``outcome_detail``, ``place.address``, a repeat call's ``text`` and each of its
    ``events``' words: with ``caller``, then with the dict's own caller when it differs."""
    out = dict(data)
    own = data.get("caller")
    callers = [c for c in (caller, own) if isinstance(c, Mapping)]
    if len(callers) == 2 and callers[0] == callers[1]:
        callers.pop()
    for who in callers:
        for key in (*TICKET_TEXT_FIELDS, "text"):
            if isinstance(out.get(key), str):
                out[key] = mask_caller_in_text(out[key], who)
        place = out.get("place")
        if isinstance(place, Mapping) and isinstance(place.get("address"), str):
            out["place"] = {**place, "address": mask_caller_in_text(place["address"], who)}
        events = out.get("events")
        if isinstance(events, list):
            out["events"] = [
                {**e, "data": mask_caller_in_event_data(e["data"], who)}
                if isinstance(e, Mapping) and isinstance(e.get("data"), Mapping)
                else e
                for e in events
            ]
    return out

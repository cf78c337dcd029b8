"""Keep personal numbers out of the stored transcript.

Resident ID numbers (18 characters, ISO 7064 MOD 11-2 check digit), bank card numbers (16-19
digits, Luhn check) and phone numbers are replaced by masks.  Phone numbers go only to the
caller field (see :mod:`.extract`).  Any other run of 15 or more digits is masked as well:
a misheard ID or card number is still personal data.  Spoken digits (``幺三八…``) count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent_app.services.speech.numerals import normalize

ID_MASK = "[身份证号已隐去]"
BANK_MASK = "[银行卡号已隐去]"
PHONE_MASK = "[电话号码已隐去]"
NUMBER_MASK = "[号码已隐去]"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_RUNS = re.compile(r"(?<![0-9X])[0-9]+X?(?![0-9X])")
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{9,11}")


def id_card_valid(number: str) -> bool:
    """Whether an 18-character resident ID has a valid ISO 7064 MOD 11-2 check character."""
    number = number.upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def luhn_valid(number: str) -> bool:
    """Whether a digit string passes the Luhn check used by bank cards."""
    if not number.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(number)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def is_phone_number(digits: str, default_area_code: str = "010") -> bool:
    """A valid mainland mobile or landline number (local 8-digit numbers get the area code)."""
    from agent_app.domain.phones import check_phone  # noqa: PLC0415 - phonenumbers is heavy

    if MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits):
        return check_phone(digits).ok
    if len(digits) in (7, 8) and digits[0] in "23456789" and default_area_code:
        return check_phone(default_area_code + digits).ok
    return False


@dataclass(frozen=True)
class Finding:
    kind: str  # "id_card" | "bank_card" | "phone" | "number"
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Redaction:
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def phones(self) -> list[str]:
        return [f.value for f in self.findings if f.kind == "phone"]


def classify(digits: str, default_area_code: str = "010") -> str | None:
    """What kind of personal number ``digits`` is, or None for an ordinary number."""
    if len(digits) == 18 and id_card_valid(digits):
        return "id_card"
    if 16 <= len(digits) <= 19 and digits.isdigit() and luhn_valid(digits):
        return "bank_card"
    if digits.isdigit() and is_phone_number(digits, default_area_code):
        return "phone"
    if len(digits) >= 15:
        return "number"
    return None


_MASKS = {"id_card": ID_MASK, "bank_card": BANK_MASK, "phone": PHONE_MASK, "number": NUMBER_MASK}


def find_personal_numbers(text: str, default_area_code: str = "010") -> list[Finding]:
    """ID, card and phone numbers in ``text``, with their spans in the original text."""
    norm = normalize(text)
    found = []
    for match in _RUNS.finditer(norm.text):
        kind = classify(match.group(0), default_area_code)
        if kind is None:
            continue
        start, end = norm.span(match.start(), match.end())
        found.append(Finding(kind, match.group(0), start, end))
    return found


def redact(text: str, default_area_code: str = "010") -> Redaction:
    """The text with personal numbers masked, and what was found (values in digits)."""
    findings = find_personal_numbers(text, default_area_code)
    parts = []
    pos = 0
    for f in findings:
        parts.append(text[pos : f.start])
        parts.append(_MASKS[f.kind])
        pos = f.end
    parts.append(text[pos:])
    return Redaction("".join(parts), findings)

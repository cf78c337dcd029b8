"""Phone numbers: parsing and validation with ``phonenumbers`` (region CN)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhoneCheck:
    ok: bool
    e164: str = ""
    problem: str = ""  # code: empty | invalid | not_a_number


def check_phone(text: str) -> PhoneCheck:
    """Validate a number as a caller types it (mobile, 010 landline, +86 forms)."""
    import phonenumbers  # noqa: PLC0415 - 40 ms import, only when a number is checked

    text = text.strip()
    if not text:
        return PhoneCheck(False, problem="empty")
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return PhoneCheck(False, problem="not_a_number")
    if not phonenumbers.is_valid_number(parsed):
        return PhoneCheck(False, problem="invalid")
    return PhoneCheck(
        True, e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    )


def display_number(e164: str) -> str:
    """``+8613812341234`` → ``13812341234``; ``+861065123456`` → ``010-65123456``."""
    if e164.startswith("+86"):
        national = e164[3:]
        if national.startswith("1") and len(national) == 11:
            return national
        area = 2 if national[:1] in ("1", "2") else 3  # 010, 02x are two-digit area codes
        return f"0{national[:area]}-{national[area:]}"
    return e164

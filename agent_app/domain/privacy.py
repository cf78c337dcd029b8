"""Masking of personal data (names, phone numbers, ID and bank card numbers).

Phone numbers and names are masked by default wherever a ticket is shown to someone who does
not need them (条例 art.8, 28; GB/T 33358 保密处理).  The same patterns keep personal data out
of log files.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\D+")

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
        return f"{digits[:area]}-{'*' * (len(local) - 4)}{local[-4:]}"
    if len(digits) >= 7:
        return f"{'*' * (len(digits) - 4)}{digits[-4:]}"
    return "*" * len(digits)


def mask_name(name: str) -> str:
    """``张三`` → ``张*``; ``欧阳娜娜`` → ``欧***``; empty stays empty."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def redact_text(text: str) -> str:
    """Replace phone, ID-card and bank-card numbers in free text by masks."""
    text = ID_CARD_RE.sub("[身份证号]", text)
    text = PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
    return BANK_CARD_RE.sub("[卡号]", text)

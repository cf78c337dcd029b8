"""A confidential (保密) caller as a shift lead's seat holds it: the same masks as the centre's
central.mask_caller (checked against PostgreSQL in tests/integration/test_confidential_lead.py),
and told apart from a caller the seat holds in clear."""

from __future__ import annotations

from agent_app.domain.privacy import caller_held_masked, mask_confidential_caller


def test_a_confidential_caller_keeps_nothing_but_its_other_keys() -> None:
    caller = {"name": "甄鹬鹕", "phones": ["+8613800138000", "010-8765 4321"],
              "confidential": True, "is_company": False}  # fmt: skip
    masked = mask_confidential_caller(caller)
    assert masked == {"name": "***", "phones": ["*" * 13, "*" * 11],
                      "confidential": True, "is_company": False}  # fmt: skip
    assert mask_confidential_caller({"name": " ", "phones": None})["name"] == ""


def test_held_masked_only_when_confidential_and_nothing_in_clear() -> None:
    assert caller_held_masked("***", ("*" * 13,), True)
    assert caller_held_masked("***", (), True)
    assert caller_held_masked("", ("*" * 11,), True)
    assert not caller_held_masked("***", ("*" * 13,), False)  # not confidential: as it is
    assert not caller_held_masked("甄鹬鹕", ("+8613800138000",), True)  # the login took it
    assert not caller_held_masked("***", ("+8613800138000",), True)  # a number in clear
    assert not caller_held_masked("", (), True)  # nothing to reveal

"""Ticket numbers, serialisation round trips, masking."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from agent_app.domain.lifecycle import Status
from agent_app.domain.phones import check_phone, display_number
from agent_app.domain.privacy import mask_name, mask_phone, redact_text
from agent_app.domain.roles import Role
from agent_app.domain.serialize import ticket_from_dict, ticket_to_dict
from agent_app.domain.ticket import Caller, Outcome, Place, RequestType, Ticket, TicketNumber
from agent_app.domain.timeutil import SHANGHAI


def test_ticket_number_is_date_seat_sequence_and_parses_back():
    number = TicketNumber(date(2026, 11, 22), "S-07", 42)
    assert str(number) == "20261122-S-07-0042"
    assert TicketNumber.parse(str(number)) == number


def test_ticket_round_trips_through_a_plain_dict():
    t0 = datetime(2026, 11, 22, 9, 30, tzinfo=SHANGHAI)
    ticket = Ticket(
        id=Ticket.new_id(),
        number="20261122-S01-0001",
        created_at=t0,
        seat="S01",
        operator_id="op1",
        caller=Caller(name="张女士", phones=("+8613812341234",), confidential=True),
        request_type=RequestType.COMPLAINT,
        category_name="社会秩序/噪声扰民/施工噪声",
        place=Place(
            address="朝阳区望京街道某小区",
            district="朝阳区",
            township="望京街道",
            lat=39.99,
            lon=116.47,
        ),
        co_units=("朝阳区人民政府",),
        outcome=Outcome.DISPATCHED,
        extra={"噪声来源": "工地"},
    )
    ticket = ticket.transition(Status.DISPATCHED, Role.OPERATOR, "op1", t0)
    back = ticket_from_dict(ticket_to_dict(ticket))
    assert back == replace(ticket)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812341234", "138****1234"),
        ("+86 138 1234 1234", "138****1234"),
        ("010-65123456", "010-****3456"),
        ("0512-66881234", "0512-****1234"),
    ],
)
def test_phone_masking(raw, masked):
    assert mask_phone(raw) == masked


def test_name_masking_keeps_only_the_surname():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("") == ""


def test_redact_text_hides_numbers_of_people():
    text = "我电话13812341234，身份证110101199003071234，卡号6222020200112233445"
    out = redact_text(text)
    assert "13812341234" not in out
    assert "110101199003071234" not in out
    assert "6222020200112233445" not in out
    assert "138****1234" in out


def test_phone_validation_and_display():
    assert check_phone("13812341234").e164 == "+8613812341234"
    assert check_phone("010-65123456").ok
    assert display_number(check_phone("010-65123456").e164) == "010-65123456"
    assert check_phone("12345").problem == "invalid"
    assert check_phone("abc").problem == "not_a_number"
    assert check_phone("").problem == "empty"

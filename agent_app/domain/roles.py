"""Who acts on a ticket.

Desk roles are the people who use the workstation; lifecycle actors also include the units
and bodies that act on a ticket after dispatch (their actions reach a seat through sync).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Actors of the ticket lifecycle (``ticket_lifecycle.json`` ``actors``)."""

    OPERATOR = "operator"  # 话务员
    LEAD = "lead"  # 班长 (acts for the centre at the seat)
    TRAINER = "trainer"  # runs demo mode; acts as an operator on throwaway data
    CENTER = "center"  # 市民热线服务工作机构
    AUTHORITY = "authority"  # 市政务服务部门 (dispatch objection review)
    HANDLER = "handler"  # 承办单位
    SYSTEM = "system"  # automatic steps (sync, timers)


DESK_ROLES: tuple[Role, ...] = (Role.OPERATOR, Role.LEAD, Role.TRAINER)


def acts_as(role: Role) -> frozenset[Role]:
    """The lifecycle actors a desk role may act as.

    A shift lead acts for the centre (quality checks, re-dispatch, callbacks) and may also do
    an operator's work; a trainer acts as an operator, on demo data only.
    """
    if role is Role.LEAD:
        return frozenset({Role.LEAD, Role.OPERATOR, Role.CENTER})
    if role is Role.TRAINER:
        return frozenset({Role.TRAINER, Role.OPERATOR})
    return frozenset({role})

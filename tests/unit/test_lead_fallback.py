"""The lead desk's fallback policy (services/lead_fallback.py), without Qt or a centre: which
errors fall back, when the centre is tried again, that one read at a time tries it, that a
refusal is never masked, that a next page of the other source starts the list again, and
that a read says when the seat answered it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import psycopg
import pytest

from agent_app.errors import ConfigError, UnreachableError, UsageError
from agent_app.services.lead_fallback import (
    MAX_STUCK,
    RETRY_SECONDS,
    CentreFallback,
    FallbackReview,
    Outage,
    SourceChanged,
    answered,
    unreachable,
)
from agent_app.services.review import ReviewFilter, ReviewPage

T0 = datetime(2026, 12, 6, 2, 5, tzinfo=UTC)  # 10:05 in Shanghai


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _policy(clock: Clock) -> CentreFallback:
    return CentreFallback(where="lead@centre", clock=clock, now=lambda: T0)


def _down() -> str:
    raise psycopg.OperationalError("connection failed: Connection refused")


@pytest.mark.parametrize(
    ("error", "falls_back"),
    [
        (psycopg.OperationalError("server closed the connection unexpectedly"), True),
        (psycopg.errors.ConnectionTimeout("connection timeout expired"), True),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator"), True),
        (psycopg.errors.TooManyConnections("sorry, too many clients already"), True),
        (UnreachableError("cannot reach the central database"), True),
        (psycopg.errors.InsufficientPrivilege("permission denied for table tickets"), False),
        (ConfigError("The login x is not a shift lead's login at the centre"), False),
        (UsageError("--limit must be from 1 to 500"), False),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),
        (ValueError("a bug"), False),
    ],
)
def test_only_connection_level_errors_fall_back(error: BaseException, falls_back: bool) -> None:
    assert unreachable(error) is falls_back


def test_the_seat_answers_after_a_failure_and_the_centre_is_tried_again_after_30_s() -> None:
    clock, switches = Clock(), []
    policy = _policy(clock)
    policy.subscribe(switches.append)
    assert policy.call(lambda: "centre", lambda: "seat") == "centre"
    assert switches == []
    got = answered(lambda: policy.call(_down, lambda: "seat"))
    assert got.value == "seat"
    assert got.outage == Outage(T0, "connection failed: Connection refused", "lead@centre")
    assert got.outage is not None
    assert got.outage.clock() == "10:05"
    assert switches == [got.outage]
    tries = policy.tries
    centre_calls = []

    def centre() -> str:
        centre_calls.append(1)
        return "centre"

    # Within 30 s every read is the seat's, the centre not asked.
    for _ in range(20):
        clock.t += 1
        assert answered(lambda: policy.call(centre, lambda: "seat")).from_seat
    assert centre_calls == []
    assert policy.tries == tries
    # Still down at the next try: 30 s more of the seat, the first failure's time kept.
    clock.t += RETRY_SECONDS
    late = datetime(2026, 12, 6, 2, 40, tzinfo=UTC)
    policy._now = lambda: late  # noqa: SLF001 - a later failure must not move "since"
    assert policy.call(_down, lambda: "seat") == "seat"
    assert policy.outage is not None
    assert policy.outage.since == T0
    assert len(switches) == 1
    clock.t += RETRY_SECONDS - 1
    assert policy.call(centre, lambda: "seat") == "seat"
    assert centre_calls == []
    # Due: the centre answers, the desk switches back silently; no mark.
    clock.t += 1
    back = answered(lambda: policy.call(centre, lambda: "seat"))
    assert back.value == "centre"
    assert not back.from_seat
    assert policy.outage is None
    assert switches[-1] is None


def test_a_sync_cycle_that_reached_the_centre_lets_the_next_read_try_it_at_once() -> None:
    clock = Clock()
    policy = _policy(clock)
    policy.call(_down, lambda: "seat")
    assert policy.call(lambda: "centre", lambda: "seat") == "seat"
    policy.centre_reached()
    assert policy.call(lambda: "centre", lambda: "seat") == "centre"
    assert policy.outage is None


def test_a_refusal_is_raised_not_masked_and_means_the_centre_is_reachable() -> None:
    clock = Clock()
    policy = _policy(clock)

    def refused() -> str:
        raise ConfigError("The login op1 is not a shift lead's login at the centre")

    with pytest.raises(ConfigError, match="not a shift lead"):
        policy.call(refused, lambda: "seat")
    assert policy.outage is None
    policy.call(_down, lambda: "seat")
    clock.t += RETRY_SECONDS
    with pytest.raises(ConfigError):
        policy.call(refused, lambda: "seat")
    assert policy.outage is None  # it answered: back to the centre


def test_one_read_at_a_time_tries_the_centre_the_others_read_the_seat() -> None:
    clock = Clock()
    policy = _policy(clock)
    policy.call(_down, lambda: "seat")
    clock.t += RETRY_SECONDS
    entered, release = threading.Event(), threading.Event()

    def slow_centre() -> str:
        entered.set()
        release.wait(5)
        return "centre"

    out: list[str] = []
    probe = threading.Thread(target=lambda: out.append(policy.call(slow_centre, lambda: "s")))
    probe.start()
    assert entered.wait(5)
    asked = []
    for _ in range(5):  # meanwhile: the seat, the centre not asked again
        assert policy.call(lambda: asked.append(1) or "centre", lambda: "seat") == "seat"
    assert asked == []
    release.set()
    probe.join(5)
    assert out == ["centre"]
    assert policy.call(lambda: "centre", lambda: "seat") == "centre"


def test_a_centre_that_does_not_answer_in_time_is_answered_by_the_seat_with_bounded_threads() -> (
    None
):
    clock = Clock()
    policy = CentreFallback(where="lead@centre", clock=clock, now=lambda: T0, answer_within=0.2)
    release = threading.Event()
    started: list[int] = []

    def silent() -> str:  # a link that swallows the packets: no answer, no error
        started.append(1)
        release.wait(10)
        return "centre, too late"

    got = answered(lambda: policy.call(silent, lambda: "seat"))
    assert got.value == "seat"
    assert got.outage is not None
    assert got.outage.reason == "the centre lead@centre did not answer within 0.2 s"
    assert policy.stuck == 1
    # Tried again after 30 s; while MAX_STUCK reads are stuck, the centre is not asked.
    for _ in range(MAX_STUCK + 2):
        clock.t += RETRY_SECONDS
        assert policy.call(silent, lambda: "seat") == "seat"
    assert len(started) == MAX_STUCK
    assert policy.stuck == MAX_STUCK
    release.set()  # the connections give up: the stuck reads end in the background
    for _ in range(100):
        if policy.stuck == 0:
            break
        threading.Event().wait(0.05)
    assert policy.stuck == 0
    clock.t += RETRY_SECONDS
    assert policy.call(lambda: "centre", lambda: "seat") == "centre"
    assert policy.outage is None


class Pages:
    def __init__(self, name: str) -> None:
        self.name = name
        self.partial = name == "seat"
        self.asked: list[str | None] = []

    def page(self, flt: ReviewFilter, *, limit: int, after: str | None) -> ReviewPage:
        self.asked.append(after)
        return ReviewPage((), f"{self.name}-next", 7)


def test_a_next_page_of_the_other_source_starts_the_list_again() -> None:
    clock = Clock()
    policy = _policy(clock)
    centre, seat = Pages("centre"), Pages("seat")
    queue = FallbackReview(centre, seat, policy)
    first = queue.page(ReviewFilter(), limit=5, after=None)
    assert first.next == "c:centre-next"
    assert queue.page(ReviewFilter(), limit=5, after=first.next).next == "c:centre-next"
    assert centre.asked == [None, "centre-next"]
    policy.call(_down, lambda: None)  # the centre went away
    with pytest.raises(SourceChanged):
        queue.page(ReviewFilter(), limit=5, after=first.next)
    assert seat.asked == []
    again = answered(lambda: queue.page(ReviewFilter(), limit=5, after=None))
    assert again.from_seat
    assert again.value.next == "s:seat-next"
    assert again.value.total == 7
    assert queue.page(ReviewFilter(), limit=5, after="s:seat-next").next == "s:seat-next"
    assert seat.asked == [None, "seat-next"]
    assert policy.outage is not None  # the cursor's refusal said nothing about the centre

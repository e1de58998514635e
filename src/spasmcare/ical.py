# SPDX-License-Identifier: MIT
"""
A care plan as an iCalendar (RFC 5545) calendar: reminders for its timed
steps and for the review points of the safety net.

Install with the ``ical`` extra (``pip install 'spasmcare[ical]'``); it is
built on the `icalendar <https://pypi.org/project/icalendar/>`_ package,
which does the folding, escaping and time zones.
``import spasmcare`` never imports this module.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

try:
    import icalendar
except ImportError as error:
    raise ImportError(
        "spasmcare.ical needs the optional 'ical' extra (icalendar); "
        "install it with: pip install 'spasmcare[ical]'",
        name=error.name,
    ) from error

import datetime as dt
import uuid
import zoneinfo

from spasmcare import (
    DEFAULT_RULES,
    CarePlan,
    Phase,
    Rule,
    RuleSet,
    Step,
    Urgency,
)
from spasmcare.criteria import AtLeast, CountAtLeast, Criterion
from spasmcare.exceptions import InvalidTypeError, InvalidValueError

__all__ = ["PRODID", "care_plan_calendar", "review_days"]

#: The calendar's product identifier.
PRODID = "-//spasmcare//care plan//EN"
_NAMESPACE = uuid.UUID("0c8f6d2e-52b1-5f3a-9d8e-1f2a3b4c5d6e")
_DOMAIN = "spasmcare.invalid"
_REVIEW_MINUTES = 15
#: How long the daily reminders of an open-ended step last when the rule
#: set has no review point.
_DEFAULT_DAYS = 14


def _thresholds(criterion: Criterion) -> set[int]:
    if isinstance(criterion, AtLeast):
        return (
            {criterion.threshold}
            if criterion.question == "duration_days"
            else set()
        )
    if isinstance(criterion, CountAtLeast):
        return set().union(*(_thresholds(c) for c in criterion.criteria))
    return set()


def review_days(rules: RuleSet = DEFAULT_RULES) -> dict[int, tuple[Rule, ...]]:
    """
    The review points of the safety net: each day of the episode at which
    some rule starts to count how long the pain has lasted (such as "not
    any better after 4 weeks"), with those rules.

    >>> from spasmcare.ical import review_days
    >>> {day: [r.id for r in rules] for day, rules in review_days().items()}[28]
    ['weak_flags_combined', 'not_improving']

    .. versionadded:: 0.1.0
    """
    days: dict[int, list[Rule]] = {}
    for rule in rules:
        for day in _thresholds(rule.criterion):
            days.setdefault(day, []).append(rule)
    return {day: tuple(days[day]) for day in sorted(days)}


def _zone(tz: str | dt.tzinfo) -> dt.tzinfo:
    if isinstance(tz, dt.tzinfo):
        return tz
    if not isinstance(tz, str):
        raise InvalidTypeError("tz", tz, "a time zone name or tzinfo")
    try:
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError(
            "tz", tz, "not a known IANA time zone (such as 'Europe/London')"
        ) from None


def _check(
    plan: object,
    start: object,
    rules: object,
    waking: object,
    episode_day: object,
) -> None:
    if not isinstance(plan, CarePlan):
        raise InvalidTypeError("plan", plan, "a CarePlan")
    if not isinstance(start, dt.datetime):
        raise InvalidTypeError("start", start, "a datetime")
    if not isinstance(rules, RuleSet):
        raise InvalidTypeError("rules", rules, "a RuleSet")
    hours = waking if isinstance(waking, tuple) else ()
    if (
        len(hours) != 2  # noqa: PLR2004
        or not all(type(h) is int for h in hours)
        or not 0 <= hours[0] < hours[1] <= 24  # noqa: PLR2004
    ):
        raise InvalidValueError(
            "waking",
            waking,
            "must be (first, last) hours, 0 <= first < last <= 24",
        )
    if type(episode_day) is not int:
        raise InvalidTypeError("episode_day", episode_day, "an int")
    if episode_day < 0:
        raise InvalidValueError(
            "episode_day", episode_day, "must be 0 or more"
        )


def _slots(
    begin: dt.datetime, end: dt.datetime, hours: list[int]
) -> list[dt.datetime]:
    """Every waking slot (hour in *hours*, on the hour) from begin to end."""
    slots = []
    day = begin.date()
    while dt.datetime.combine(day, dt.time(), begin.tzinfo) < end:
        for hour in hours:
            at = dt.datetime.combine(day, dt.time(hour), begin.tzinfo)
            if begin <= at < end:
                slots.append(at)
        day += dt.timedelta(days=1)
    return slots


def _event(
    *,
    uid: str,
    stamp: dt.datetime,
    summary: str,
    description: str,
    starts: list[dt.datetime],
    minutes: int,
    byhour: list[int],
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uuid.uuid5(_NAMESPACE, uid)}@{_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", starts[0])
    event.add("duration", dt.timedelta(minutes=minutes))
    if len(starts) > 1:
        event.add(
            "rrule",
            {
                "freq": "daily",
                "byhour": byhour,
                "byminute": 0,
                "bysecond": 0,
                "count": len(starts),
            },
        )
    event.add("summary", summary)
    event.add("description", description)
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", dt.timedelta(0))
    alarm.add("description", summary)
    event.add_component(alarm)
    return event


def _text(step: Step) -> str:
    return "\n".join(
        part
        for part in (step.instructions, step.timing, *step.cautions)
        if part
    )


def care_plan_calendar(
    plan: CarePlan,
    start: dt.datetime,
    tz: str | dt.tzinfo,
    *,
    rules: RuleSet = DEFAULT_RULES,
    episode_day: int = 0,
    waking: tuple[int, int] = (8, 22),
) -> icalendar.Calendar:
    """
    The care plan's timed steps and review points as a VCALENDAR.

    - A step that repeats every few hours for a while (a cold pack, 12-15
      minutes every 2 hours for the first 48 hours) gets a reminder at
      each slot in that time, on the hour, in waking hours only.
    - A step from the third day on without a repeat (moist heat, "a few
      times a day") gets one reminder a day, from 48 hours after the
      start, until the first review point.
    - For a self-care plan, each review point of the safety net
      (:func:`review_days`, such as "not any better after 4 weeks") gets a
      reminder that says what to do if things are not better.

    Every event has a display alarm, a UID derived from the step and the
    start (so re-exporting does not duplicate events), and a
    ``DTSTAMP`` of the start (no clock is read); the calendar carries the
    VTIMEZONE of *tz*. An emergency plan has no timed steps, so its
    calendar has no events.

    Args:
        plan: The care plan, from :func:`spasmcare.plan_care`.
        start: When the person starts the plan; a naive time is read in
            *tz*.
        tz: The person's time zone: an IANA name or a tzinfo.
        rules: The rule set the plan was made with (for the review points).
        episode_day: How many days the pain had lasted at *start*
            (``Assessment.duration_days``).
        waking: The first and last waking hour (24-hour clock).

    Raises:
        InvalidTypeError: An argument has the wrong type.
        InvalidValueError: The time zone is unknown, or *waking* or
            *episode_day* is out of range.

    .. versionadded:: 0.1.0
    """
    _check(plan, start, rules, waking, episode_day)
    zone = _zone(tz)
    begin = (
        start.replace(tzinfo=zone)
        if start.tzinfo is None
        else start.astimezone(zone)
    )
    stamp = begin.astimezone(dt.UTC)
    key = begin.isoformat()
    reviews = {
        day - episode_day: found
        for day, found in review_days(rules).items()
        if day > episode_day
    }
    first_review = min(reviews, default=_DEFAULT_DAYS)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Back care plan")
    for step in plan.steps:
        schedule = step.schedule
        if schedule is None:
            continue
        since = (
            begin + dt.timedelta(hours=48)
            if step.phase is Phase.AFTER_48_HOURS
            else begin
        )
        if schedule.every_hours is not None:
            # On the hour in waking hours, ending before the day does.
            hours = [
                h
                for h in range(waking[0], waking[1], schedule.every_hours)
                if h * 60 + schedule.minutes_max <= waking[1] * 60
            ]
            until = since + dt.timedelta(
                hours=schedule.for_hours or first_review * 24
            )
        else:
            # Once a day, at the first waking hour from `since`.
            until = begin + dt.timedelta(days=first_review)
            first = _slots(since, until, list(range(*waking)))
            hours = [first[0].hour] if first else []
        starts = _slots(since, until, hours)
        if not starts:
            continue
        calendar.add_component(
            _event(
                uid=f"{step.id}|{key}",
                stamp=stamp,
                summary=step.title,
                description=_text(step),
                starts=starts,
                minutes=schedule.minutes_max,
                byhour=hours,
            )
        )
    if plan.level is Urgency.SELF_CARE:
        for days, found in reviews.items():
            at = dt.datetime.combine(
                (begin + dt.timedelta(days=days)).date(),
                dt.time(min(waking[0] + 1, waking[1] - 1)),
                zone,
            )
            calendar.add_component(
                _event(
                    uid=f"review|{days + episode_day}|{key}",
                    stamp=stamp,
                    summary="Check on your back: is it getting better?",
                    description="\n".join(
                        f"{r.warning_sign} {r.urgency.action_in(plan.region)}"
                        for r in found
                    ),
                    starts=[at],
                    minutes=_REVIEW_MINUTES,
                    byhour=[at.hour],
                )
            )
    calendar.add_missing_timezones()
    return calendar

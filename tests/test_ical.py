# SPDX-License-Identifier: MIT
"""
The calendar face: a care plan as RFC 5545 events, parsed back and
expanded with icalendar and dateutil.
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import sys
import zoneinfo
from typing import Any

import icalendar
import pytest
from dateutil.rrule import rrulestr

import spasmcare.ical as si
from spasmcare import (
    QUESTIONS,
    REGIONS,
    AnswerKind,
    Assessment,
    CarePlan,
    InvalidTypeError,
    InvalidValueError,
    Region,
    evaluate,
    plan_care,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
START = dt.datetime(2026, 3, 2, 9, 17, tzinfo=LONDON)


def _plan(region: Region | None = None, **answers: bool) -> CarePlan:
    given = {
        q: False for q, v in QUESTIONS.items() if v.kind is AnswerKind.YES_NO
    }
    given["minor_strain_onset"] = True
    assessment = Assessment.from_answers(
        given | answers,
        age_years=35,
        pain_score=5,
        duration_days=1,
        episodes_past_year=0,
    )
    return plan_care(
        assessment, evaluate(assessment), region=region or REGIONS["uk"]
    )


def _walk(calendar: Any, name: str = "VEVENT") -> list[Any]:
    """
    The components called *name* (typed loosely: icalendar's values are a
    union of every property type).
    """
    return list(calendar.walk(name))


def _parse(calendar: icalendar.Calendar) -> Any:
    return icalendar.Calendar.from_ical(calendar.to_ical())


def _events(calendar: icalendar.Calendar) -> dict[str, Any]:
    return {str(e["summary"]): e for e in _walk(_parse(calendar))}


def _expand(event: Any) -> list[dt.datetime]:
    start = event["dtstart"].dt
    if "rrule" not in event:
        return [start]
    rule = event["rrule"].to_ical().decode()
    return list(rrulestr(rule, dtstart=start))


SELF_CARE = _plan()
CALENDAR = si.care_plan_calendar(
    SELF_CARE, START, "Europe/London", episode_day=1
)
EVENTS = _events(CALENDAR)


def _step(step_id: str) -> Any:
    (step,) = [s for s in SELF_CARE.steps if s.id == step_id]
    return EVENTS[step.title]


class TestImport:
    """
    The face sits behind its extra.
    """

    def test_without_the_extra_the_error_names_it(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """
        Without icalendar, importing spasmcare.ical says to install
        spasmcare[ical].
        """
        monkeypatch.delitem(sys.modules, "spasmcare.ical")
        monkeypatch.setitem(sys.modules, "icalendar", None)

        with pytest.raises(ImportError, match=r"spasmcare\[ical\]"):
            importlib.import_module("spasmcare.ical")


class TestCalendar:
    """
    The events, parsed back, expand to the times the plan gives.
    """

    def test_required_properties(self) -> None:
        """
        VERSION and PRODID; every event has UID, DTSTAMP, DTSTART,
        DURATION, SUMMARY and a display alarm with its trigger and text;
        the time zone is defined.
        """
        parsed = _parse(CALENDAR)

        assert "2.0" == parsed["version"]
        assert si.PRODID == parsed["prodid"]
        assert ["Europe/London"] == [
            str(t["tzid"]) for t in _walk(parsed, "VTIMEZONE")
        ]
        for event in _walk(parsed):
            for name in ("uid", "dtstamp", "dtstart", "duration", "summary"):
                assert name in event
            (alarm,) = event.walk("VALARM")
            assert "DISPLAY" == alarm["action"]
            assert dt.timedelta(0) == alarm["trigger"].dt
            assert alarm["description"]

    def test_lines_are_folded_crlf(self) -> None:
        """
        Content lines end in CRLF and are at most 75 octets.
        """
        lines = CALENDAR.to_ical().split(b"\r\n")

        assert all(len(line) <= 75 for line in lines)

    def test_cold_pack_every_two_hours_while_awake_for_48_hours(self) -> None:
        """
        12-15 minutes every 2 hours on the hour from 08:00 to 20:00, from
        the start for 48 hours: 6 the first day, 7 the second, 1 the third.
        """
        event = _step("cold_pack")
        expected = [
            dt.datetime(2026, 3, day, hour, tzinfo=LONDON)
            for day, hours in (
                (2, range(10, 21, 2)),
                (3, range(8, 21, 2)),
                (4, [8]),
            )
            for hour in hours
        ]

        assert expected == _expand(event)
        assert dt.timedelta(minutes=15) == event["duration"].dt
        assert "towel" in str(event["description"])

    def test_heat_daily_from_day_three_until_the_review(self) -> None:
        """
        Moist heat is one reminder a day from 48 hours after the start,
        until the first review point (day 28 of the episode).
        """
        times = _expand(_step("moist_heat"))

        assert dt.datetime(2026, 3, 4, 10, tzinfo=LONDON) == times[0]
        assert all(
            b - a == dt.timedelta(days=1) for a, b in itertools.pairwise(times)
        )
        assert times[-1] < START + dt.timedelta(days=27)
        assert times[-1] + dt.timedelta(days=1) > START + dt.timedelta(days=27)

    def test_review_points(self) -> None:
        """
        A self-care plan gets a reminder at each review point of the
        safety net (days 28, 42 and 91 of the episode), saying what to do.
        """
        parsed = _parse(CALENDAR)
        reviews = [e for e in _walk(parsed) if "better" in str(e["summary"])]
        days = sorted(
            (e["dtstart"].dt.date() - START.date()).days + 1 for e in reviews
        )

        assert sorted(si.review_days()) == days == [28, 42, 91]
        assert any(
            "not any better after 4 weeks" in str(e["description"])
            for e in reviews
        )

    def test_review_points_speak_for_the_plans_region(self) -> None:
        """
        A plan made for the US names US services in its reminders, never
        the UK's 111 or 999.
        """
        uk, us = _plan(), _plan(region=REGIONS["us"])
        texts = {
            region: " ".join(
                str(e["description"])
                for e in _walk(
                    _parse(si.care_plan_calendar(plan, START, LONDON))
                )
                if "better" in str(e["summary"])
            )
            for region, plan in (("uk", uk), ("us", us))
        }

        assert "111" in texts["uk"]
        assert "111" not in texts["us"]
        assert "999" not in texts["us"]
        assert "urgent care center" in texts["us"]

    def test_no_heat_reminders_past_the_review(self) -> None:
        """
        Late in the episode (day 27), the first review point comes before
        day three of the plan: no heat reminders, the review on day 28.
        """
        calendar = si.care_plan_calendar(
            SELF_CARE, START, "Europe/London", episode_day=27
        )
        summaries = [str(e["summary"]) for e in _walk(_parse(calendar))]

        heat = next(s for s in SELF_CARE.steps if s.id == "moist_heat").title
        assert heat not in summaries
        assert any("better" in s for s in summaries)

    def test_waking_hours_only(self) -> None:
        """
        No reminder starts outside waking hours, across the change to
        summer time too.
        """
        late = dt.datetime(2026, 3, 28, 6, 0)  # noqa: DTZ001 (naive: local)
        calendar = si.care_plan_calendar(
            SELF_CARE, late, LONDON, waking=(9, 21)
        )
        parsed = _parse(calendar)

        for event in _walk(parsed):
            for at in _expand(event):
                assert 9 <= at.hour < 21
                assert (at + event["duration"].dt).hour <= 21

    def test_stable_uids(self) -> None:
        """
        The same plan and start give the same UIDs; another start, others.
        """
        again = si.care_plan_calendar(
            SELF_CARE, START, "Europe/London", episode_day=1
        )
        later = si.care_plan_calendar(
            SELF_CARE, START + dt.timedelta(days=1), "Europe/London"
        )

        def uids(calendar: icalendar.Calendar) -> set[str]:
            return {str(e["uid"]) for e in _walk(calendar)}

        assert uids(CALENDAR) == uids(again)
        assert not uids(CALENDAR) & uids(later)
        assert len(uids(CALENDAR)) == len(_walk(CALENDAR))

    def test_emergency_plan_has_no_events(self) -> None:
        """
        An emergency plan has no timed steps: nothing to remind.
        """
        calendar = si.care_plan_calendar(
            _plan(saddle_numbness=True), START, "Europe/London"
        )

        assert [] == _walk(calendar)

    def test_naive_start_is_local_time(self) -> None:
        """
        A naive start is read in the given time zone.
        """
        calendar = si.care_plan_calendar(
            SELF_CARE,
            START.replace(tzinfo=None),
            "Europe/London",
            episode_day=1,
        )

        assert CALENDAR.to_ical() == calendar.to_ical()


class TestCalendarErrors:
    """
    Bad arguments are spasmcare's own errors.
    """

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"plan": {}}, InvalidTypeError),
            ({"start": "2026-03-02"}, InvalidTypeError),
            ({"tz": "Mars/Olympus"}, InvalidValueError),
            ({"tz": "../etc"}, InvalidValueError),
            ({"tz": 1}, InvalidTypeError),
            ({"rules": "x"}, InvalidTypeError),
            ({"waking": (22, 8)}, InvalidValueError),
            ({"waking": [8, 22]}, InvalidValueError),
            ({"waking": (8.0, 22)}, InvalidValueError),
            ({"episode_day": -1}, InvalidValueError),
            ({"episode_day": True}, InvalidTypeError),
        ],
    )
    def test_bad_arguments(
        self, kwargs: dict[str, Any], error: type[Exception]
    ) -> None:
        """
        Each bad argument is named.
        """
        arguments: dict[str, Any] = {
            "plan": SELF_CARE,
            "start": START,
            "tz": "Europe/London",
        } | kwargs

        with pytest.raises(error) as info:
            si.care_plan_calendar(**arguments)

        assert next(iter(kwargs)) in str(info.value)

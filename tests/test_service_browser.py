# SPDX-License-Identifier: MIT
"""
The web interview in a real browser: Playwright driving Debian's Chromium.

Deselected by default (``-m browser``); ``.ci/run`` runs them in their own
step, after installing ``chromium`` with apt-get when it is missing.
JavaScript is switched off in the browser: the pages must work without it.
Playwright never downloads a browser here: it drives ``/usr/bin/chromium``.

Set ``SPASMCARE_SCREENSHOTS=1`` to write the screenshots the docs show
into ``docs/_static/web-interview/``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from spasmcare import (
    GROUPS,
    QUESTIONS,
    REGIONS,
    Answer,
    AnswerKind,
    Assessment,
    Urgency,
)
from spasmcare.service._web import LEVEL_HEADINGS

from .derived_vignettes import VIGNETTES
from .servers import running_server

if TYPE_CHECKING:
    # Imported when the tests run, so that the default suite (which
    # deselects them) collects this module without Playwright installed.
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_SHOTS = Path(__file__).resolve().parent.parent / "docs/_static/web-interview"
#: Roles of the controls a person operates: each must have a name.
_CONTROLS = (
    "button",
    "checkbox",
    "combobox",
    "link",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "textbox",
)
_ENTRY = re.compile(r"^\s*- (?P<role>[a-z]+)(?: \"(?P<name>[^\"]*)\")?")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """
    The service, started with uvicorn for this module.
    """
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """
    Debian's Chromium, headless.
    """
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """
    A fresh page with JavaScript switched off.
    """
    context = browser.new_context(
        base_url=base_url,
        java_script_enabled=False,
        viewport={"width": 800, "height": 900},
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def unnamed_controls(page: Page) -> list[str]:
    """
    Controls in the page's accessibility snapshot that have no name.
    """
    missing = []
    for line in page.aria_snapshot().splitlines():
        entry = _ENTRY.match(line)
        if entry and entry["role"] in _CONTROLS and not entry["name"]:
            missing.append(line.strip())
    return missing


def question_id(page: Page) -> str | None:
    """
    The id of the prompt the page asks, or ``None`` on a result page.
    """
    field = page.locator('input[name="question"]')
    return field.get_attribute("value") if field.count() else None


def answer(page: Page, truth: Assessment, unsure: frozenset[str]) -> None:
    """
    Answer the page's prompt as a truthful person would, by its labels.
    """
    prompt = question_id(page)
    assert prompt is not None

    def knows(question: str) -> Answer:
        return Answer.UNKNOWN if question in unsure else truth.answer(question)

    if prompt in GROUPS:
        shown = page.locator('input[type="checkbox"]')
        ids = [
            shown.nth(i).get_attribute("value") or ""
            for i in range(shown.count())
        ]
        members = [q for q in ids if q in QUESTIONS]
        answers = {q: knows(q) for q in members}
        if set(answers.values()) == {Answer.ABSENT}:
            page.get_by_role("checkbox", name="None of these").check()
        else:
            for question, known in answers.items():
                if known is Answer.PRESENT:
                    label = QUESTIONS[question].label
                    page.get_by_role(
                        "checkbox", name=label[:1].upper() + label[1:]
                    ).check()
            if Answer.UNKNOWN in answers.values():
                page.get_by_role("checkbox", name="Not sure").check()
        page.get_by_role("button", name="Continue").click()
    elif QUESTIONS[prompt].kind is AnswerKind.INTEGER:
        number = truth.number(prompt)
        if number is None:
            page.get_by_role("button", name="I don’t know").click()
        else:
            box = page.get_by_role("textbox", name=QUESTIONS[prompt].text)
            box.fill(str(number))
            page.get_by_role("button", name="Continue").click()
    else:
        name = {
            Answer.PRESENT: "Yes",
            Answer.ABSENT: "No",
            Answer.UNKNOWN: "Not sure",
        }[knows(prompt)]
        page.get_by_role("radio", name=name, exact=True).check()
        page.get_by_role("button", name="Continue").click()


def walk(
    page: Page, truth: Assessment, unsure: frozenset[str] = frozenset()
) -> int:
    """
    Answer every prompt, checking each page's controls are named.

    Returns:
        The number of prompts answered.
    """
    page.goto("/interview")
    prompts = 0
    while question_id(page) is not None:
        assert [] == unnamed_controls(page)
        prompts += 1
        assert prompts <= len(QUESTIONS) + len(GROUPS)
        answer(page, truth, unsure)
    assert [] == unnamed_controls(page)
    return prompts


def to_the_first_group(page: Page) -> str:
    """
    Open the interview and answer its first question, "are you
    pregnant?", with "No": the page then asks the emergency signs, as a
    group.

    Returns:
        The group's id.
    """
    page.goto("/interview")
    assert "pregnant" == question_id(page)
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    group = question_id(page)
    assert group is not None
    assert group in GROUPS
    return group


def _plain_strain() -> Assessment:
    return next(
        v.assessment()
        for v in VIGNETTES
        if v.family == "mechanical strain"
        and v.present == {"minor_strain_onset"}
    )


def heading(page: Page) -> str:
    """
    The page's main heading.
    """
    return " ".join(page.get_by_role("heading", level=1).inner_text().split())


class TestPaths:
    """
    A person clicking through reaches the right result.
    """

    def test_a_plain_strain_reaches_self_care(self, page: Page) -> None:
        """
        A plain strain ends at the self-care plan in 12 prompts or fewer,
        with its safety net; every control on the way has a name.
        """
        prompts = walk(page, _plain_strain())

        assert prompts <= 12
        assert LEVEL_HEADINGS[Urgency.SELF_CARE] == heading(page)
        assert page.get_by_role("heading", name="Your plan").is_visible()
        assert page.get_by_role(
            "heading", name="If things get worse"
        ).is_visible()

    def test_cauda_equina_reaches_the_emergency_page(self, page: Page) -> None:
        """
        Saddle numbness reaches "go to an emergency department now" in 4
        prompts or fewer; the page shows no safety net and no self-care.
        """
        truth = _plain_strain().with_answer("saddle_numbness", Answer.PRESENT)

        prompts = walk(page, truth)

        assert prompts <= 4
        assert REGIONS["uk"].fill(
            LEVEL_HEADINGS[Urgency.EMERGENCY]
        ) == heading(page)
        assert (
            0
            == page.get_by_role("heading", name="If things get worse").count()
        )
        assert page.get_by_role("heading", name="What to do now").is_visible()


class TestBackAndNotSure:
    """
    "Back" and "not sure", as a person uses them.
    """

    def test_not_sure_then_back(self, page: Page) -> None:
        """
        "Not sure" about a group asks its first question alone; back
        shows the group again with "Not sure" still ticked.
        """
        first = to_the_first_group(page)
        page.get_by_role("checkbox", name="Not sure").check()
        page.get_by_role("button", name="Continue").click()

        alone = question_id(page)
        assert GROUPS[first].members[0] == alone
        assert page.get_by_role("radio", name="Not sure").is_visible()

        page.get_by_role("button", name="Back to the last question").click()

        assert first == question_id(page)
        assert page.get_by_role("checkbox", name="Not sure").is_checked()
        assert not page.get_by_role(
            "checkbox", name="None of these"
        ).is_checked()

    def test_i_dont_know_a_number(self, page: Page) -> None:
        """
        A number can be answered "I don't know", and a bad one is asked
        again with an alert that names the range.
        """
        truth = _plain_strain()
        page.goto("/interview")
        while question_id(page) != "age_years":
            answer(page, truth, frozenset())
        box = page.get_by_role("textbox", name=QUESTIONS["age_years"].text)
        box.fill("200")
        page.get_by_role("button", name="Continue").click()

        assert "age_years" == question_id(page)
        age = QUESTIONS["age_years"]
        assert (
            f"from {age.minimum} to {age.maximum}"
            in page.get_by_role("alert").inner_text()
        )
        assert "true" == box.get_attribute("aria-invalid")
        assert [] == unnamed_controls(page)

        page.get_by_role("button", name="I don’t know").click()

        assert question_id(page) not in {"age_years", None}


class TestKeyboard:
    """
    Everything works from the keyboard, with focus always visible.
    """

    def test_answer_with_the_keyboard(self, page: Page) -> None:
        """
        Tab to "None of these", tick it with Space, Tab to Continue and
        press Enter: the next question is asked. The focused control
        shows a focus ring.
        """
        first = to_the_first_group(page)
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.value") == "none":
                break
        outline = page.evaluate(
            "getComputedStyle(document.activeElement).outlineStyle"
        )
        page.keyboard.press("Space")
        while page.evaluate("document.activeElement.tagName") != "BUTTON":
            page.keyboard.press("Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")

        assert "none" != outline
        assert question_id(page) not in {first, None}


#: WCAG 2.2 contrast of every text against its background, in the page.
_CONTRAST = """
() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92
      : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.offsetParent && el !== document.body) continue;
    const style = getComputedStyle(el);
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) failures.push(
      `${node.textContent.trim().slice(0, 40)}: ${ratio.toFixed(2)}`);
  }
  return failures;
}
"""


class TestAccessibility:
    """
    WCAG 2.2 AA, checked in the browser on every kind of page.
    """

    def _pages(self, page: Page) -> Iterator[str]:
        """
        Visit a group, an error, a yes/no question, a number, the result,
        the print view and an emergency result; yield the name of each.
        """
        to_the_first_group(page)
        yield "group"
        page.get_by_role("button", name="Continue").click()
        yield "error"
        page.get_by_role("checkbox", name="Not sure").check()
        page.get_by_role("button", name="Continue").click()
        yield "yes-no"
        page.get_by_role("button", name="Back to the last question").click()
        truth = _plain_strain()
        page.get_by_role("checkbox", name="Not sure").uncheck()
        while question_id(page) != "age_years":
            answer(page, truth, frozenset())
        yield "number"
        while question_id(page) is not None:
            answer(page, truth, frozenset())
        yield "result"
        page.get_by_role("button", name="Print view").click()
        yield "print"
        walk(page, truth.with_answer("saddle_numbness", Answer.PRESENT))
        yield "emergency"

    def test_every_page(self, page: Page, tmp_path: Path) -> None:
        """
        On each page: the language is set, there is one main heading and
        a main landmark, every control is named, and every text meets
        the contrast ratio (4.5:1, 3:1 for large text). Screenshots of
        each page are taken (and kept for the docs on request).
        """
        seen = []
        for name in self._pages(page):
            seen.append(name)
            assert "en" == page.get_attribute("html", "lang")
            assert 1 == page.get_by_role("heading", level=1).count()
            assert page.get_by_role("main").is_visible()
            assert [] == unnamed_controls(page), name
            assert [] == page.evaluate(_CONTRAST), name
            shot = tmp_path / f"{name}.png"
            page.screenshot(path=shot)
            assert shot.read_bytes().startswith(b"\x89PNG")
            if os.environ.get("SPASMCARE_SCREENSHOTS") == "1":
                _SHOTS.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(shot, _SHOTS / shot.name)

        assert [
            "group",
            "error",
            "yes-no",
            "number",
            "result",
            "print",
            "emergency",
        ] == seen

    def test_printing_hides_the_buttons(self, page: Page) -> None:
        """
        Printed, the result shows the plan without the page's buttons.
        """
        walk(page, _plain_strain())

        page.emulate_media(media="print")

        assert not page.get_by_role("button", name="Print view").is_visible()
        assert page.get_by_role("heading", name="Your plan").is_visible()

# SPDX-License-Identifier: MIT
"""
Read the web interview's HTML pages as a browser would submit them.
"""

from __future__ import annotations

import html.parser


class Page(html.parser.HTMLParser):
    """
    The parts of a page that the tests read: its form fields, labels and
    headings.
    """

    def __init__(self) -> None:
        super().__init__()
        self.hidden: list[tuple[str, str]] = []
        self.choices: list[tuple[str, str, bool]] = []
        self.kinds: set[str] = set()
        self.labels: dict[str, str] = {}
        self.inputs: list[dict[str, str]] = []
        self.buttons: list[tuple[str, str, str]] = []
        self.h1 = ""
        self.lang: str | None = None
        self._label_for: str | None = None
        self._label_text = ""
        self._in_h1 = False
        self._button: dict[str, str] | None = None
        self._button_text = ""
        self.text = ""

    def handle_starttag(
        self, tag: str, attributes: list[tuple[str, str | None]]
    ) -> None:
        values = {name: value or "" for name, value in attributes}
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "input":
            self.inputs.append(values)
            if values.get("type") == "hidden":
                self.hidden.append((values["name"], values["value"]))
            elif values.get("type") in {"radio", "checkbox"}:
                self.kinds.add(values["type"])
                self.choices.append(
                    (values["id"], values["value"], "checked" in values)
                )
        elif tag == "label":
            self._label_for = values.get("for")
            self._label_text = ""
        elif tag == "h1":
            self._in_h1 = True

        elif tag == "button":
            self._button = values
            self._button_text = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_for is not None:
            self.labels[self._label_for] = self._label_text.strip()
            self._label_for = None
        elif tag == "h1":
            self._in_h1 = False

        elif tag == "button" and self._button is not None:
            self.buttons.append(
                (
                    self._button.get("name", ""),
                    self._button.get("value", ""),
                    self._button_text.strip(),
                )
            )
            self._button = None

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._label_for is not None:
            self._label_text += data
        if self._in_h1:
            self.h1 += data
        if self._button is not None:
            self._button_text += data

    @property
    def steps(self) -> list[str]:
        """
        The answers so far, as the page carries them.
        """
        return [value for name, value in self.hidden if name == "step"]

    def field_attribute(self, field_id: str, name: str) -> str | None:
        """
        An attribute of the input with id *field_id*.
        """
        for values in self.inputs:
            if values.get("id") == field_id:
                return values.get(name)
        return None

    def field_value(self, field_id: str) -> str | None:
        """
        The value of the input with id *field_id*.
        """
        return self.field_attribute(field_id, "value")

    @property
    def chosen(self) -> list[str]:
        """
        The values of the radio buttons and tick boxes shown chosen.
        """
        return [value for _, value, checked in self.choices if checked]

    @property
    def question(self) -> str | None:
        """
        The id of the question the page asks, if it asks one.
        """
        ids = [value for name, value in self.hidden if name == "question"]
        return ids[0] if ids else None

    @property
    def heading(self) -> str:
        """
        The page's main heading, with whitespace collapsed.
        """
        return " ".join(self.h1.split())


def read_page(text: str) -> Page:
    """
    Parse one HTML page.
    """
    page = Page()
    page.feed(text)
    page.close()
    return page

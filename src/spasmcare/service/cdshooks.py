# SPDX-License-Identifier: MIT
"""
The CDS Hooks 2.0 JSON shapes, as small frozen attrs classes.

Only the parts of the specification that spasmcare sends or reads:
a service's discovery entry, the hook request, cards with their source,
suggestions, actions and links, and card feedback.
Every class writes itself with ``to_json()`` in the specification's spelling
(``hookInstance``, ``selectionBehavior``, ...) and never writes ``null``
or an empty string, list or object (CDS Hooks 2.0: "JSON attributes SHALL
NOT be null", optional fields without a value are omitted),
apart from the required ``cards: []``.

Requests are read with :func:`parse_hook_request` and
:func:`parse_feedback`, which accept unknown keys (so that 3.0 clients
still work) and report every problem with its JSON path as an
:class:`~spasmcare.exceptions.InvalidJSONError`.

Source: CDS Hooks 2.0.1 (HL7, 2025), https://cds-hooks.hl7.org/2.0/.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from spasmcare.exceptions import InvalidJSONError, InvalidValueError

__all__ = [
    "SUMMARY_LIMIT",
    "Action",
    "Card",
    "Coding",
    "FeedbackEntry",
    "FhirAuthorization",
    "HookRequest",
    "Link",
    "OverrideReason",
    "ServiceDescriptor",
    "Source",
    "Suggestion",
    "cards_response",
    "parse_feedback",
    "parse_hook_request",
]

#: A card's summary must be shorter than 140 characters.
SUMMARY_LIMIT = 140

Indicator = Literal["info", "warning", "critical"]
_INDICATORS = ("info", "warning", "critical")
_ACTION_TYPES = ("create", "update", "delete")
_LINK_TYPES = ("absolute", "smart")
_SELECTION = ("at-most-one", "any")
_OUTCOMES = ("accepted", "overridden")
#: RFC 3339 date-time, as outcomeTimestamp must be.
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z"
)


def _compact(pairs: Mapping[str, Any]) -> dict[str, Any]:
    """
    *pairs* without ``None`` and without empty strings, lists or objects.
    """
    return {
        key: value
        for key, value in pairs.items()
        if value is not None
        and not (isinstance(value, (str, list, dict)) and not value)
    }


def _non_blank(name: str) -> Any:
    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError(
                f"{type(instance).__name__}.{attribute.name}",
                value,
                f"{name} must be non-blank text",
            )

    return check


def _optional_non_blank(name: str) -> Any:
    inner = _non_blank(name)

    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if value is not None:
            inner(instance, attribute, value)

    return check


def _one_of(choices: tuple[str, ...]) -> Any:
    def check(
        instance: object, attribute: attrs.Attribute[Any], value: Any
    ) -> None:
        if value not in choices:
            raise InvalidValueError(
                f"{type(instance).__name__}.{attribute.name}",
                value,
                f"must be one of {', '.join(choices)}",
            )

    return check


@attrs.frozen(kw_only=True)
class Coding:
    """
    A FHIR Coding, as CDS Hooks uses it (override reasons, topics).

    Attributes:
        code: The code.
        display: Text to show; CDS Hooks requires it for override reasons.
        system: The code system's URI.

    .. versionadded:: 0.1.0
    """

    code: str = attrs.field(validator=_non_blank("code"))
    display: str = attrs.field(validator=_non_blank("display"))
    system: str | None = attrs.field(
        default=None, validator=_optional_non_blank("system")
    )

    def to_json(self) -> dict[str, Any]:
        """
        The Coding as JSON.
        """
        return _compact(
            {"system": self.system, "code": self.code, "display": self.display}
        )


@attrs.frozen(kw_only=True)
class Source:
    """
    Where a card's advice comes from.

    Attributes:
        label: Short human-readable name of the source (required).
        url: A page about the source.
        topic: A Coding naming the card's topic, for analytics.

    .. versionadded:: 0.1.0
    """

    label: str = attrs.field(validator=_non_blank("label"))
    url: str | None = attrs.field(
        default=None, validator=_optional_non_blank("url")
    )
    topic: Coding | None = None

    def to_json(self) -> dict[str, Any]:
        """
        The source as JSON.
        """
        return _compact(
            {
                "label": self.label,
                "url": self.url,
                "topic": self.topic.to_json() if self.topic else None,
            }
        )


@attrs.frozen(kw_only=True)
class Action:
    """
    One change a suggestion makes in the record.

    Attributes:
        type: ``create``, ``update`` or ``delete``.
        description: What the action does, for the user (required).
        resource: The FHIR resource to create or (whole) to update.
        resource_id: The relative reference to delete, such as
            ``"ServiceRequest/1"`` (CDS Hooks 2.0: SHOULD for delete).

    .. versionadded:: 0.1.0
    """

    type: str = attrs.field(validator=_one_of(_ACTION_TYPES))
    description: str = attrs.field(validator=_non_blank("description"))
    resource: Mapping[str, Any] | None = None
    resource_id: str | None = attrs.field(
        default=None, validator=_optional_non_blank("resourceId")
    )

    def to_json(self) -> dict[str, Any]:
        """
        The action as JSON.
        """
        return _compact(
            {
                "type": self.type,
                "description": self.description,
                "resource": dict(self.resource) if self.resource else None,
                "resourceId": self.resource_id,
            }
        )


@attrs.frozen(kw_only=True)
class Suggestion:
    """
    A set of actions the user can accept with one click.

    Attributes:
        label: What the suggestion does (required).
        uuid: Its id, sent back in feedback when it is accepted.
        actions: The changes, applied as one transaction.
        is_recommended: Whether it is the recommended choice.

    .. versionadded:: 0.1.0
    """

    label: str = attrs.field(validator=_non_blank("label"))
    uuid: str = attrs.field(validator=_non_blank("uuid"))
    actions: tuple[Action, ...] = attrs.field()
    is_recommended: bool | None = None

    def to_json(self) -> dict[str, Any]:
        """
        The suggestion as JSON.
        """
        return _compact(
            {
                "label": self.label,
                "uuid": self.uuid,
                "isRecommended": self.is_recommended,
                "actions": [action.to_json() for action in self.actions],
            }
        )


@attrs.frozen(kw_only=True)
class Link:
    """
    A link to a page or a SMART app.

    Attributes:
        label: The link's text (required).
        url: Where it goes (required).
        type: ``absolute`` for a page, ``smart`` for a SMART app.

    .. versionadded:: 0.1.0
    """

    label: str = attrs.field(validator=_non_blank("label"))
    url: str = attrs.field(validator=_non_blank("url"))
    type: str = attrs.field(default="absolute", validator=_one_of(_LINK_TYPES))

    def to_json(self) -> dict[str, Any]:
        """
        The link as JSON.
        """
        return {"label": self.label, "url": self.url, "type": self.type}


def _summary(
    instance: object, attribute: attrs.Attribute[Any], value: Any
) -> None:
    _non_blank("summary")(instance, attribute, value)
    if len(value) >= SUMMARY_LIMIT:
        raise InvalidValueError(
            "Card.summary",
            value,
            f"must be shorter than {SUMMARY_LIMIT} characters (has {len(value)})",
        )


@attrs.frozen(kw_only=True)
class Card:
    """
    One card: a summary, its urgency, its source, and what to do.

    Attributes:
        uuid: The card's id; feedback names it (always set: without it a
            client sends no feedback).
        summary: One sentence, shorter than 140 characters.
        indicator: ``info``, ``warning`` or ``critical``.
        source: Where the advice comes from.
        detail: More detail, in GitHub-flavoured Markdown.
        suggestions: What the user can do with one click.
        selection_behavior: ``at-most-one`` or ``any``; required when
            there are suggestions.
        override_reasons: Reasons a user can give for not following it.
        links: Pages or apps to open.

    Raises:
        InvalidValueError: A field breaks a rule of CDS Hooks 2.0.

    .. versionadded:: 0.1.0
    """

    uuid: str = attrs.field(validator=_non_blank("uuid"))
    summary: str = attrs.field(validator=_summary)
    indicator: str = attrs.field(validator=_one_of(_INDICATORS))
    source: Source
    detail: str | None = attrs.field(
        default=None, validator=_optional_non_blank("detail")
    )
    suggestions: tuple[Suggestion, ...] = ()
    selection_behavior: str | None = None
    override_reasons: tuple[Coding, ...] = ()
    links: tuple[Link, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.suggestions and self.selection_behavior not in _SELECTION:
            raise InvalidValueError(
                "Card.selection_behavior",
                self.selection_behavior,
                f"a card with suggestions needs one of {', '.join(_SELECTION)}",
            )
        if not self.suggestions and self.selection_behavior is not None:
            raise InvalidValueError(
                "Card.selection_behavior",
                self.selection_behavior,
                "only a card with suggestions has a selection behaviour",
            )

    def to_json(self) -> dict[str, Any]:
        """
        The card as JSON.
        """
        return _compact(
            {
                "uuid": self.uuid,
                "summary": self.summary,
                "detail": self.detail,
                "indicator": self.indicator,
                "source": self.source.to_json(),
                "suggestions": [s.to_json() for s in self.suggestions],
                "selectionBehavior": self.selection_behavior,
                "overrideReasons": [
                    r.to_json() for r in self.override_reasons
                ],
                "links": [link.to_json() for link in self.links],
            }
        )


def cards_response(cards: tuple[Card, ...] | list[Card]) -> dict[str, Any]:
    """
    The body of a CDS Service response: ``{"cards": [...]}``.

    ``cards`` is always present, ``[]`` when there is nothing to say.

    .. versionadded:: 0.1.0
    """
    return {"cards": [card.to_json() for card in cards]}


@attrs.frozen(kw_only=True)
class ServiceDescriptor:
    """
    One CDS Service, as the discovery endpoint lists it.

    Attributes:
        id: The service's id; it is called at ``/cds-services/{id}``.
        hook: The hook it answers, such as ``patient-view``.
        title: Its name.
        description: What it does.
        prefetch: Prefetch keys and their FHIR query templates.
        usage_requirements: What the client must do or have.

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=_non_blank("id"))
    hook: str = attrs.field(validator=_non_blank("hook"))
    title: str = attrs.field(validator=_non_blank("title"))
    description: str = attrs.field(validator=_non_blank("description"))
    prefetch: Mapping[str, str] = attrs.field(factory=dict)
    usage_requirements: str | None = None

    def to_json(self) -> dict[str, Any]:
        """
        The discovery entry as JSON.
        """
        return _compact(
            {
                "hook": self.hook,
                "title": self.title,
                "description": self.description,
                "id": self.id,
                "prefetch": dict(self.prefetch),
                "usageRequirements": self.usage_requirements,
            }
        )


@attrs.frozen(kw_only=True)
class FhirAuthorization:
    """
    The access token a client lends for reading its FHIR server.

    Attributes:
        access_token: The OAuth 2.0 access token.
        token_type: Always ``Bearer``.
        scope: The scopes granted.
        subject: The OAuth 2.0 client id of the service.
        expires_in: Lifetime of the token, in seconds.

    .. versionadded:: 0.1.0
    """

    access_token: str = attrs.field(repr=False)
    token_type: str
    scope: str
    subject: str
    expires_in: int | None = None


@attrs.frozen(kw_only=True)
class HookRequest:
    """
    A hook call, as a CDS Client sends it.

    Attributes:
        hook: The hook that fired, such as ``patient-view``.
        hook_instance: A UUID for this firing of the hook.
        context: The hook's context (``patientId``, ``userId``, ...).
        prefetch: What the client prefetched, by key. Tri-state: a key
            that is absent was not attempted, ``None`` means there is no
            data, an ``OperationOutcome`` means the prefetch failed.
        fhir_server: The client's FHIR base URL, if given.
        fhir_authorization: The token for it, if given.

    .. versionadded:: 0.1.0
    """

    hook: str
    hook_instance: str
    context: Mapping[str, Any]
    prefetch: Mapping[str, Any] = attrs.field(factory=dict)
    fhir_server: str | None = None
    fhir_authorization: FhirAuthorization | None = None


@attrs.frozen(kw_only=True)
class OverrideReason:
    """
    Why a user overrode a card.

    Attributes:
        reason: One of the card's ``overrideReasons``, if chosen.
        user_comment: Free text, if given.

    .. versionadded:: 0.1.0
    """

    reason: Coding | None = None
    user_comment: str | None = None


@attrs.frozen(kw_only=True)
class FeedbackEntry:
    """
    What a user did with one card.

    Attributes:
        card: The card's uuid.
        outcome: ``accepted`` or ``overridden``.
        outcome_timestamp: When, as an RFC 3339 date-time in UTC.
        accepted_suggestions: The uuids of the suggestions accepted.
        override_reason: Why it was overridden, if said.

    .. versionadded:: 0.1.0
    """

    card: str
    outcome: str
    outcome_timestamp: str
    accepted_suggestions: tuple[str, ...] = ()
    override_reason: OverrideReason | None = None


# ------------------------------------------------------------ reading ---


class _Reader:
    """
    Collects every problem in a document, each with its JSON path.
    """

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def obj(self, value: Any, path: str) -> Mapping[str, Any]:
        if isinstance(value, Mapping):
            return value
        self.fail(path, f"expected an object, found {_kind(value)}")
        return {}

    def text(
        self, doc: Mapping[str, Any], key: str, path: str, *, required: bool
    ) -> str | None:
        value = doc.get(key)
        if value is None:
            if required or key in doc:
                self.fail(
                    f"{path}.{key}",
                    "required text is missing"
                    if required
                    else "must not be null",
                )
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(
                f"{path}.{key}",
                f"expected non-blank text, found {_kind(value)}",
            )
            return None
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "blank text" if not value.strip() else "text"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _top(document: Any) -> Mapping[str, Any]:
    if not isinstance(document, Mapping):
        raise InvalidJSONError(
            [("$", f"expected an object, found {_kind(document)}")], document
        )
    return document


def parse_hook_request(document: Any) -> HookRequest:
    """
    Read a hook request from parsed JSON.

    Unknown keys are ignored (CDS Hooks 3.0 clients add some).
    ``prefetch`` is kept as sent: absent keys stay absent,
    ``null`` values stay ``None``.

    Args:
        document: The parsed JSON body.

    Returns:
        The request.

    Raises:
        InvalidJSONError: The body breaks CDS Hooks 2.0; every problem is
            listed with its path, such as ``$.context``.

    .. versionadded:: 0.1.0
    """
    read = _Reader()
    doc = _top(document)
    hook = read.text(doc, "hook", "$", required=True)
    instance = read.text(doc, "hookInstance", "$", required=True)
    context = read.obj(doc.get("context"), "$.context")
    prefetch: Mapping[str, Any] = {}
    if "prefetch" in doc:
        prefetch = read.obj(doc["prefetch"], "$.prefetch")
    server = read.text(
        doc, "fhirServer", "$", required="fhirAuthorization" in doc
    )
    authorization = None
    if "fhirAuthorization" in doc:
        auth = read.obj(doc["fhirAuthorization"], "$.fhirAuthorization")
        token = read.text(
            auth, "access_token", "$.fhirAuthorization", required=True
        )
        token_type = read.text(
            auth, "token_type", "$.fhirAuthorization", required=True
        )
        scope = read.text(auth, "scope", "$.fhirAuthorization", required=True)
        subject = read.text(
            auth, "subject", "$.fhirAuthorization", required=True
        )
        expires = auth.get("expires_in")
        if expires is not None and (
            isinstance(expires, bool) or not isinstance(expires, int)
        ):
            read.fail(
                "$.fhirAuthorization.expires_in",
                f"expected a whole number, found {_kind(expires)}",
            )
        if token_type is not None and token_type != "Bearer":  # noqa: S105
            read.fail("$.fhirAuthorization.token_type", "must be 'Bearer'")
        if not read.problems:
            authorization = FhirAuthorization(
                access_token=str(token),
                token_type=str(token_type),
                scope=str(scope),
                subject=str(subject),
                expires_in=expires,
            )
    if read.problems:
        raise InvalidJSONError(read.problems, document)
    return HookRequest(
        hook=str(hook),
        hook_instance=str(instance),
        context=dict(context),
        prefetch=dict(prefetch),
        fhir_server=server,
        fhir_authorization=authorization,
    )


def parse_feedback(document: Any) -> tuple[FeedbackEntry, ...]:
    """
    Read a feedback body, ``{"feedback": [...]}``, from parsed JSON.

    Args:
        document: The parsed JSON body.

    Returns:
        The entries, in the order sent.

    Raises:
        InvalidJSONError: The body breaks CDS Hooks 2.0 (an outcome other
            than accepted or overridden, an accepted card without
            ``acceptedSuggestions``, a timestamp that is not RFC 3339...).

    .. versionadded:: 0.1.0
    """
    read = _Reader()
    doc = _top(document)
    items = doc.get("feedback")
    if not isinstance(items, list) or not items:
        read.fail(
            "$.feedback", f"expected a non-empty array, found {_kind(items)}"
        )
        items = []
    entries = []
    for index, item in enumerate(items):
        path = f"$.feedback[{index}]"
        entry = read.obj(item, path)
        before = len(read.problems)
        card = read.text(entry, "card", path, required=True)
        outcome = read.text(entry, "outcome", path, required=True)
        stamp = read.text(entry, "outcomeTimestamp", path, required=True)
        if outcome is not None and outcome not in _OUTCOMES:
            read.fail(
                f"{path}.outcome", f"must be one of {', '.join(_OUTCOMES)}"
            )
        if stamp is not None and not _TIMESTAMP.match(stamp):
            read.fail(
                f"{path}.outcomeTimestamp", "expected an RFC 3339 date-time"
            )
        accepted = _accepted(read, entry, path, outcome)
        reason = _override_reason(read, entry, path)
        if len(read.problems) == before:
            entries.append(
                FeedbackEntry(
                    card=str(card),
                    outcome=str(outcome),
                    outcome_timestamp=str(stamp),
                    accepted_suggestions=accepted,
                    override_reason=reason,
                )
            )
    if read.problems:
        raise InvalidJSONError(read.problems, document)
    return tuple(entries)


def _accepted(
    read: _Reader, entry: Mapping[str, Any], path: str, outcome: str | None
) -> tuple[str, ...]:
    raw = entry.get("acceptedSuggestions")
    if raw is None:
        if outcome == "accepted":
            read.fail(
                f"{path}.acceptedSuggestions",
                "required when the outcome is accepted",
            )
        return ()
    if not isinstance(raw, list) or not raw:
        read.fail(
            f"{path}.acceptedSuggestions",
            f"expected a non-empty array, found {_kind(raw)}",
        )
        return ()
    ids = []
    for index, item in enumerate(raw):
        value = read.text(
            read.obj(item, f"{path}.acceptedSuggestions[{index}]"),
            "id",
            f"{path}.acceptedSuggestions[{index}]",
            required=True,
        )
        if value is not None:
            ids.append(value)
    return tuple(ids)


def _override_reason(
    read: _Reader, entry: Mapping[str, Any], path: str
) -> OverrideReason | None:
    if "overrideReason" not in entry:
        return None
    where = f"{path}.overrideReason"
    raw = read.obj(entry["overrideReason"], where)
    comment = read.text(raw, "userComment", where, required=False)
    coding = None
    if "reason" in raw:
        reason = read.obj(raw["reason"], f"{where}.reason")
        code = read.text(reason, "code", f"{where}.reason", required=True)
        system = read.text(reason, "system", f"{where}.reason", required=False)
        display = reason.get("display")
        if code is not None:
            coding = Coding(
                code=code,
                system=system,
                display=display
                if isinstance(display, str) and display.strip()
                else code,
            )
    return OverrideReason(reason=coding, user_comment=comment)

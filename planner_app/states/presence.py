"""Presence: what a tab has open, as others are shown it ("Ana Costa is editing"). The API keeps
it (PUT /api/presence/{tab}/, 30 s a heartbeat); states/live.py sends this tab's and reads the
others' when the change log says someone's changed, and at each heartbeat."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import NamedTuple

from planner_app.services.models import Presence


class Watching(NamedTuple):
    """What a tab has open: an item, viewed or edited, and where in it (a grid cell's week)."""

    resource: str
    object_id: int
    activity: str  # viewing, editing
    detail: str = ""


@dataclasses.dataclass
class PresenceLine:
    """Someone else with this page's item open, in words."""

    name: str
    initials: str
    text: str  # "Ana Costa is editing"
    editing: bool


def tab_id(client_token: str) -> str:
    """The tab as the API knows it: not Reflex's token itself, which keys the tab's state."""
    return hashlib.sha256(client_token.encode()).hexdigest()[:32]


def initials(name: str) -> str:
    words = name.split()
    return ("".join(w[0] for w in words[:2]) if len(words) > 1 else name[:2]).upper() or "?"


def line(other: Presence, viewer_id: int) -> PresenceLine:
    """ "Ana Costa is editing this"; the viewer's own other tab is "You, in another tab, …"."""
    editing = other.activity == "editing"
    mine = other.user.id == viewer_id
    who = "You, in another tab, are" if mine else f"{other.user.name} is"
    return PresenceLine(other.user.name, initials(other.user.name), f"{who} {other.activity} this", editing)


def lines(others: list[Presence], viewer_id: int) -> list[PresenceLine]:
    """One line per person (their busiest tab: the API lists editing first), this tab left out."""
    seen: dict[int, PresenceLine] = {}
    for other in others:
        if not other.you and other.user.id not in seen:
            seen[other.user.id] = line(other, viewer_id)
    return list(seen.values())

"""The state of every person typeahead (components/typeahead.py), keyed by the field's id, so
several can be on one page. What was chosen goes with the form as a hidden `person_id`-style
input; page states only set a starting choice (`choose_person`) when a form opens."""

from __future__ import annotations

import dataclasses

import reflex as rx

from planner_app.services.errors import ApiError
from planner_app.states.auth import UsesAuth

SEARCH_LIMIT = 20
MIN_QUERY = 2  # the API answers nothing for shorter text


@dataclasses.dataclass
class PersonHit:
    id: int
    name: str
    email: str


class TypeaheadState(UsesAuth, rx.State):
    query: dict[str, str] = {}
    hits: dict[str, list[PersonHit]] = {}
    chosen: dict[str, int] = {}
    # Index of the highlighted option; -1 when none is.
    active: dict[str, int] = {}
    expanded: dict[str, bool] = {}
    searching: dict[str, bool] = {}
    error: dict[str, str] = {}

    def _set(self, name: str, box: str, value) -> None:
        # Reassigned, not mutated in place, so Reflex certainly sends the change.
        setattr(self, name, {**getattr(self, name), box: value})

    def set_choice(self, box: str, person_id: int | None, label: str | None) -> None:
        self._set("chosen", box, person_id or 0)
        self._set("query", box, (label or "") if person_id else "")
        self._set("hits", box, [])
        self._set("expanded", box, False)
        self._set("active", box, -1)
        self._set("error", box, "")

    @rx.event
    async def search(self, box: str, text: str):
        # Typing makes the earlier choice void: what is saved must be what the field shows.
        self._set("query", box, text)
        self._set("chosen", box, 0)
        self._set("active", box, -1)
        if len(text.strip()) < MIN_QUERY:
            self._set("hits", box, [])
            self._set("expanded", box, False)
            return
        self._set("searching", box, True)
        self._set("expanded", box, True)
        yield
        try:
            async with self.api() as api:
                people = await api.search_people(text.strip(), SEARCH_LIMIT)
        except ApiError as err:
            self._set("searching", box, False)
            self._set("error", box, err.message)
            yield await self._after_error(err)
            return
        self._set("hits", box, [PersonHit(p.id, p.name, p.email or "") for p in people[:SEARCH_LIMIT]])
        self._set("error", box, "")
        self._set("searching", box, False)

    @rx.event
    def pick(self, box: str, index: int):
        hits = self.hits.get(box, [])
        if 0 <= index < len(hits):
            self.set_choice(box, hits[index].id, hits[index].name)

    @rx.event
    def key_down(self, box: str, key: str):
        """↑ ↓ move the highlight, Enter picks it, Esc closes the list (components/typeahead.py
        keeps the browser from also moving the caret or submitting the form)."""
        count = len(self.hits.get(box, []))
        current = self.active.get(box, -1)
        if key in ("ArrowDown", "ArrowUp"):
            if not count:
                return
            self._set("expanded", box, True)
            step = 1 if key == "ArrowDown" else -1
            self._set("active", box, (current + step) % count if current >= 0 else (0 if step > 0 else count - 1))
        elif key == "Enter" and self.expanded.get(box) and current >= 0:
            self.pick(box, current)
        elif key == "Escape":
            self._set("expanded", box, False)
            self._set("active", box, -1)

    @rx.event
    def close(self, box: str):
        self._set("expanded", box, False)


async def choose_person(state: rx.State, box: str, person_id: int | None = None, label: str | None = None) -> None:
    """What a typeahead shows when a form opens: the item's person, or nothing for a new one."""
    typeahead = await state.get_state(TypeaheadState)
    typeahead.set_choice(box, person_id, label)

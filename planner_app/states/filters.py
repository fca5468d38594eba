"""A list's filters: each one a state var named in `_filters`, set from its control
(components/filters.py `filter_field`); a change shows the list from its start again."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from planner_app.states.hooks import HooksMixin, hook


class FilterMixin(HooksMixin, mixin=True):
    """Listed after PagedMixin or WindowMixin in a state's bases, so that their `_restart_list`
    is the one used (listed before them, the state fails at import: the hook is undefined)."""

    # The vars a control may set: a name from the browser is checked against them, never trusted.
    _filters: ClassVar[tuple[str, ...]] = ()

    @hook
    def _restart_list(self) -> None:
        """New filters: back to the first page (PagedMixin) or the top of the window (WindowMixin)."""

    @rx.event
    async def set_filter(self, name: str, value: str):
        if name not in self._filters:
            return
        setattr(self, name, value)
        self._restart_list()
        async for update in self.load():
            yield update

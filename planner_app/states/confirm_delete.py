"""Delete after a confirmation dialog (components/feedback.py `confirm_delete`): Delete asks, the
dialog names the item, and only Confirm deletes it. The state says what deleting is (`_delete`)."""

from __future__ import annotations

import reflex as rx

from planner_app.states.hooks import HooksMixin, hook


class ConfirmDeleteMixin(HooksMixin, mixin=True):
    # The item the dialog asks about (0: the dialog is closed) and how the dialog names it.
    delete_id: int = 0
    delete_label: str = ""

    @hook
    async def _delete(self, item_id: int):
        """Delete the item: an async generator of the updates that follow (a reload)."""

    @rx.event
    def ask_delete(self, item_id: int, label: str):
        self.delete_id, self.delete_label = item_id, label

    @rx.event
    def cancel_delete(self):
        self.delete_id = 0

    @rx.event
    async def confirm_delete(self):
        item_id, self.delete_id = self.delete_id, 0
        async for update in self._delete(item_id):
            yield update

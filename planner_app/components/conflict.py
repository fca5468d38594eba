"""The conflict banner every edit form and the planning grid show when someone else saved first.

Non-blocking: the form and what was typed in it stay as they are until the person chooses to
reload the latest version or to keep their changes (states/conflict.py)."""

import reflex as rx

from planner_app import styles

CHANGED_BY = {
    "you": "You changed this",
    "them": "They changed this",
    "both": "You both changed this",
}


def _value(label: str, value: rx.Var, color: rx.Var | str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color=styles.MUTED_TEXT),
        rx.text(value, size="2", weight="medium", color=color, word_break="break-word"),
        spacing="0",
        min_width="0",
    )


def _change(change: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(change.label, size="2", weight="bold"),
            rx.badge(
                rx.match(change.changed_by, *CHANGED_BY.items(), ""),
                color_scheme=rx.match(change.changed_by, ("them", "gray"), styles.CONFLICT_ACCENT),
                variant="soft",
                size="1",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.grid(
            # The side that changed since the form was filled stands out; the other is muted.
            _value(
                "Theirs", change.theirs, rx.cond(change.changed_by == "you", styles.MUTED_TEXT, styles.CONFLICT_TEXT)
            ),
            _value(
                "Yours", change.yours, rx.cond(change.changed_by == "them", styles.MUTED_TEXT, styles.CONFLICT_TEXT)
            ),
            columns="2",
            spacing="3",
            width="100%",
            margin_top="0.25rem",
        ),
        padding="0.5rem 0.75rem",
        border=f"1px solid {styles.BORDER}",
        border_radius="var(--radius-2)",
        background=styles.SURFACE,
        width="100%",
        role="listitem",
        aria_label=change.label,
    )


def _review_id(state) -> str:
    # Two banners can be on one page (the project form and its deliverables): ids stay unique.
    return f"{state.get_name()}-review"


def conflict_review(state) -> rx.Component:
    return rx.vstack(
        rx.cond(
            state.changes.length() > 0,
            rx.vstack(rx.foreach(state.changes, _change), spacing="2", width="100%", role="list", aria_label="Changes"),
            rx.text("The saved version already holds everything in your form.", size="2"),
        ),
        rx.cond(
            state.live_conflict,
            # Nothing typed was refused yet: a Save asks what to keep, field by field.
            rx.text(
                "What you typed is still in the form. Save it and you will be asked which changes to keep.",
                size="1",
                color=styles.MUTED_TEXT,
            ),
            rx.fragment(
                rx.text(
                    "Keep my changes applies only the fields you changed, on top of the latest version.",
                    size="1",
                    color=styles.MUTED_TEXT,
                ),
                rx.button(
                    "Keep my changes", type="button", size="2", on_click=state.keep_my_changes, loading=state.resolving
                ),
            ),
        ),
        spacing="2",
        width="100%",
        id=_review_id(state),
    )


def deleted_notice(state) -> rx.Component:
    """Where a detail page's item was: who deleted it (live updates), and the way back."""
    return rx.cond(
        state.deleted_text != "",
        rx.callout(state.deleted_text, icon="trash_2", color_scheme="red", role="status", width="100%"),
    )


def conflict_banner(state) -> rx.Component:
    """`state` is a page state with ConflictMixin: reload_latest, keep_my_changes, toggle_review.
    Also says when the item was deleted meanwhile: then there is nothing to reload or review."""
    banner_id = f"{state.get_name()}-conflict"
    deleted = state.deleted_text != ""
    return rx.cond(
        state.conflict | deleted,
        rx.box(
            rx.hstack(
                rx.icon("git_compare_arrows", size=18, color=styles.CONFLICT_TEXT, flex_shrink="0"),
                rx.text(
                    rx.cond(deleted, state.deleted_text, state.conflict_text),
                    size="2",
                    weight="medium",
                    color=styles.CONFLICT_TEXT,
                    class_name="conflict-text",
                ),
                align="start",
                spacing="2",
            ),
            rx.cond(
                ~deleted,
                rx.hstack(
                    rx.button(
                        "Reload latest", type="button", size="2", on_click=state.reload_latest, loading=state.resolving
                    ),
                    rx.button(
                        rx.cond(state.review_open, "Hide changes", "Review changes"),
                        type="button",
                        size="2",
                        variant="soft",
                        color_scheme="gray",
                        on_click=state.toggle_review,
                        aria_expanded=rx.cond(state.review_open, "true", "false"),
                        aria_controls=_review_id(state),
                    ),
                    spacing="2",
                    wrap="wrap",
                    margin_top="0.5rem",
                ),
            ),
            rx.cond(state.review_open & ~deleted, rx.box(conflict_review(state), margin_top="0.75rem")),
            # The banner sits at the top of the form, but Save is at the bottom: on a phone the
            # person would not see why nothing happened. Bring it into view when a save is
            # refused, not when it appears while they type (a live update): that would pull the
            # field away from under their fingers.
            rx.cond(~state.live_conflict, rx.box(on_mount=rx.scroll_to(banner_id))),
            role="status",
            aria_live="polite",
            padding="0.75rem",
            border=f"1px solid {styles.CONFLICT_BORDER}",
            border_radius=styles.RADIUS,
            background=styles.CONFLICT_BACKGROUND,
            width="100%",
            class_name="conflict-banner",
            id=banner_id,
        ),
    )

"""A list's filter control: a labelled search box or select bound to one filter of the page's
state (states/filters.py), which reloads the list when it changes."""

from typing import Any

import reflex as rx

from planner_app import styles


def filter_field(
    state: Any,
    name: str,
    label: str,
    *,
    id: str,
    options: rx.Var | list[tuple[str, str]] | None = None,
    all_label: str = "",
    type: str = "text",
    placeholder: str = "",
    label_size: str = "2",
    select_style: dict[str, Any] | None = None,
    **layout: Any,
) -> rx.Component:
    """A text filter (typing settles for 300 ms before the list reloads) when `options` is None,
    else a native select of `options` — (value, label) pairs, a var or a fixed list — headed by
    `all_label` (value "") when given."""
    value = getattr(state, name)

    def on_change(v: rx.Var) -> Any:
        return state.set_filter(name, v)

    if options is None:
        typed = {"type": type} if type != "text" else {}
        hint = {"placeholder": placeholder} if placeholder else {}
        control = rx.input(id=id, **typed, **hint, value=value, on_change=on_change, debounce_timeout=300, width="100%")
    else:
        if isinstance(options, rx.Var):
            choices = [rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))]
        else:
            choices = [rx.el.option(text, value=key) for key, text in options]
        control = rx.el.select(
            *([rx.el.option(all_label, value="")] if all_label else []),
            *choices,
            id=id,
            value=value,
            on_change=on_change,
            style=select_style or styles.NATIVE_SELECT,
        )
    return rx.vstack(
        rx.el.label(label, html_for=id, font_size=f"var(--font-size-{label_size})"),
        control,
        spacing="1",
        **layout,
    )

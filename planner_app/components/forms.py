"""Labelled form fields. Every input has a visible label tied to it, and the API's message for
that field (from a 400 `invalid`) right under it."""

from typing import Any

import reflex as rx

from planner_app import styles


def _as_text(value: Any) -> Any:
    """Form defaults are text in the DOM; numbers and nulls from state are typed as such."""
    return value.to(str) if isinstance(value, rx.Var) else str(value)


def labelled_field(label: str, control: rx.Component, field_id: str, error: rx.Var[str] | None) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_size="var(--font-size-2)", font_weight="500"),
        control,
        rx.cond(error, rx.text(error, size="1", color="var(--red-11)", id=f"{field_id}-error"))
        if error is not None
        else rx.fragment(),
        spacing="1",
        width="100%",
    )


def text_field(
    label: str,
    name: str,
    *,
    form: str,
    value: Any = "",
    errors: rx.Var[dict[str, str]] | None = None,
    type: str = "text",
    required: bool = False,
    **props: Any,
) -> rx.Component:
    """An uncontrolled input (its value goes with the form's submit), refilled when `value` changes."""
    field_id = f"{form}-{name}"
    error = errors[name] if errors is not None else None
    return labelled_field(
        label,
        rx.input(
            id=field_id,
            name=name,
            type=type,
            default_value=_as_text(value),
            # A new key remounts the uncontrolled input, so it shows the newly loaded value.
            key=_as_text(value),
            required=required,
            aria_invalid=rx.cond(error, "true", "false") if error is not None else "false",
            # Screen readers read the API's message for the field along with its label.
            aria_describedby=f"{field_id}-error",
            width="100%",
            **props,
        ),
        field_id,
        error,
    )


def text_area(label: str, name: str, *, form: str, value: Any = "", **props: Any) -> rx.Component:
    field_id = f"{form}-{name}"
    return labelled_field(
        label,
        rx.text_area(
            id=field_id,
            name=name,
            default_value=_as_text(value),
            # A new key remounts the uncontrolled input, so it shows the newly loaded value.
            key=_as_text(value),
            width="100%",
            **props,
        ),
        field_id,
        None,
    )


def select_field(
    label: str,
    name: str,
    options: rx.Var | list[tuple[str, str]],
    *,
    form: str,
    value: Any = "",
    errors: rx.Var[dict[str, str]] | None = None,
    placeholder: str | None = None,
    on_change: Any = None,
) -> rx.Component:
    """A native <select>: accessible, form-friendly and the phone's own picker on mobile.

    `options` is a list of (value, label) pairs, or a Var of such pairs."""
    field_id = f"{form}-{name}"
    error = errors[name] if errors is not None else None
    if isinstance(options, rx.Var):
        children = [rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0]))]
    else:
        children = [rx.el.option(text, value=val) for val, text in options]
    if placeholder is not None:
        children.insert(0, rx.el.option(placeholder, value=""))
    extra = {"on_change": on_change} if on_change is not None else {}
    return labelled_field(
        label,
        rx.el.select(
            *children,
            id=field_id,
            name=name,
            default_value=_as_text(value),
            # A new key remounts the uncontrolled input, so it shows the newly loaded value.
            key=_as_text(value),
            style=styles.NATIVE_SELECT,
            **extra,
        ),
        field_id,
        error,
    )


def checkbox_field(label: str, name: str, *, form: str, checked: Any = False) -> rx.Component:
    field_id = f"{form}-{name}"
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            id=field_id,
            name=name,
            default_checked=checked,
            key=_as_text(checked),
        ),
        label,
        html_for=field_id,
        display="flex",
        gap="0.5rem",
        align_items="center",
        font_size="var(--font-size-2)",
    )


def form_actions(saving: rx.Var[bool], on_cancel: Any = None) -> rx.Component:
    buttons = []
    if on_cancel is not None:
        buttons.append(rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=on_cancel))
    buttons.append(rx.button("Save", type="submit", loading=saving))
    return rx.hstack(*buttons, justify="end", spacing="3", width="100%")

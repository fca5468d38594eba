"""Hooks a state must define for the mixins it uses, checked when the state class is defined.

A mixin declares each hook it calls with `@hook` (a signature and a docstring, never run). A
state that leaves one undefined fails at import — in the tests — not when a person first clicks
the button that would call it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx

F = TypeVar("F", bound=Callable[..., Any])


def hook(declaration: F) -> F:
    """Mark a method that every (non-mixin) state using this mixin has to define."""
    declaration.__state_hook__ = True  # type: ignore[attr-defined]
    return declaration


def undefined_hooks(cls: type) -> list[str]:
    """The hooks `cls` still resolves to their declaration."""
    names = {
        name for base in cls.__mro__ for name, value in vars(base).items() if getattr(value, "__state_hook__", False)
    }
    return sorted(name for name in names if getattr(getattr(cls, name), "__state_hook__", False))


class HooksMixin(rx.State, mixin=True):
    """The base of every mixin that declares hooks."""

    def __init_subclass__(cls, mixin: bool = False, **kwargs: Any):
        # Reflex's metaclass, not this keyword, is what tells a mixin. Checked before Reflex
        # registers the class, so a state that fails here never joins the state tree.
        missing = [] if cls._mixin else undefined_hooks(cls)
        if missing:
            raise TypeError(f"{cls.__name__} must define {', '.join(missing)} (hooks of the mixins it uses)")
        super().__init_subclass__(mixin=mixin, **kwargs)

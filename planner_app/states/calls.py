"""The one shape of an event handler's API call (PageMixin._call): the call runs, a failure is
shown in words and answered by `Failed`, whose follow-up event the handler yields before it stops."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Failed:
    """A failed call, already shown on the page; `event` is what follows (sign in again) or None."""

    event: Any

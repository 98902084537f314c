"""A result kept in the session for as long as what it was made from stays the same.

The import page reads and checks an uploaded file once, and compares it with the
version in force once, however often the page runs again (a page of the preview,
a checkbox): each result is kept under a name with the key it was made for.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, MutableMapping
from typing import Any, TypeVar

T = TypeVar("T")


def remembered(state: MutableMapping[str, Any], name: str, key: Hashable, make: Callable[[], T]) -> T:
    """`state[name]`, made again by `make()` when `key` differs from the one it was made for."""
    if state.get(f"{name}_key") != key:
        state[name] = make()
        state[f"{name}_key"] = key
    return state[name]

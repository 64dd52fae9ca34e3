"""Commands and their one error display (git-cola's ``cmds.do``).

The store and the open report raise :class:`~gongkai_desktop.errors.GongkaiError` — one form,
with its Chinese message — and nothing in between turns it into a flag or a saved string. A page
that asks for a change runs it through :func:`do`, which catches the error once and hands it to
:data:`display`; the main window is the one place that shows it (a message box for what the clerk
must act on, the status bar for a refused keystroke).
"""

from __future__ import annotations

from typing import Callable, TypeVar

from PySide6.QtCore import QObject, Signal

from .. import errors as E
from ..errors import GongkaiError

R = TypeVar("R")


class _Display(QObject):
    """``failed(exc)`` for every refused command; the main window connects it once."""

    failed = Signal(object)


display = _Display()


def do(fn: Callable[[], R], *, default: R | None = None) -> R | None:
    """Run ``fn``; on a refusal show it through :data:`display` and return ``default``
    (``False`` for the usual yes/no commands)."""
    try:
        return fn()
    except GongkaiError as exc:
        display.failed.emit(exc)
        return default


def ok(fn: Callable[[], object]) -> bool:
    """:func:`do` for a command whose success is all the caller needs to know."""
    try:
        fn()
    except GongkaiError as exc:
        display.failed.emit(exc)
        return False
    return True


def needs_dialog(exc: BaseException) -> bool:
    """A refusal the clerk has to read and act on (the database, another window's edit) gets a
    message box; a refused keystroke (a final report, a value that does not parse) only the
    status bar, where it does not interrupt typing."""
    if isinstance(exc, (E.ReportLocked, E.InvalidValue)):
        return False
    return isinstance(exc, (E.StoreError, E.StaleEdit))

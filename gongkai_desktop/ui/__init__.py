"""The window: a thin face on the core (``gongkai`` with no subcommand starts it).

PySide6 6.12 (abi3 wheels) returns ``None`` from every void Qt method without taking a new
reference, which is harmless only where ``None`` is immortal (Python 3.12+). On 3.10/3.11 each
such call costs ``None`` one reference and the interpreter aborts ("none_dealloc") after some
thousands of calls — minutes into a clerk's session. Until the binding is fixed, give ``None`` a
reference count it cannot exhaust. This runs before any Qt module of the window is imported.
"""

import ctypes as _ctypes
import sys as _sys

if _sys.version_info < (3, 12) and not getattr(_sys, "_gongkai_none_guard", False):
    _ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    _sys._gongkai_none_guard = True  # type: ignore[attr-defined]

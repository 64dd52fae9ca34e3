"""The window: a thin face on the core (``gongkai`` with no subcommand starts it).

PySide6 6.12.0 returns ``None`` from void Qt methods without taking a reference; on Python
3.10/3.11 the interpreter aborts ("none_dealloc") after some thousands of calls — minutes into a
clerk's session. pyproject.toml therefore excludes 6.12.0, and tests/test_qt_binding.py fails on
any binding that has the fault again.
"""

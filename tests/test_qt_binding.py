"""The Qt binding must not lose references to None (PySide6 6.12.0 on Python < 3.12 does, and the
window then aborts with "none_dealloc" after a few thousand calls)."""

import subprocess
import sys

CODE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(2000):
    label.setText("x")
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_keep_none_alive():
    # In a child process: on a faulty binding the interpreter may abort outright.
    p = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120,
                       env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert p.returncode == 0, p.stderr[-2000:]
    assert abs(int(p.stdout.strip().splitlines()[-1])) < 100, p.stdout

"""Soak test: is anything typed lost when the window is ended? Prints figures, asserts nothing.

Each trial starts the real window as its own process (offscreen), opens a report on a section
text and types into it — key events delivered to the editor, in bursts with pauses around the
save delay, the way a clerk types — then ends the process with SIGTERM (a desktop logout,
``kill``) or SIGKILL (``kill -9``, a crash, a power cut) at a random moment, and compares what the
child typed with what the database holds.

    python3 benchmarks/soak_window.py [--trials 30] [--signal term|kill|both] [--seed 1] [--xcb]

``--xcb`` runs the window on a private Xvfb display and types with xdotool: X key events that go
through the X server, Qt's xcb plugin and the editor exactly as a keyboard's do (ASCII letters —
xdotool's remapping of Chinese characters is not reliable at speed). Without it the window runs
offscreen and the child sends itself the key events.

Figures per signal: trials, characters typed, characters committed, characters lost, and trials
that lost anything. SIGTERM must lose nothing. SIGKILL cannot run any code: what was typed in the
last moments (at most the save delay, and never more than 2 s of continuous typing) may be lost,
but never anything older, and the database stays intact; "beyond 2 s" counts violations of that.

``--child DB REPORT SECTION SEED`` is the typing window itself (used by the trials and by
tests/test_app_process.py); SEED ``x`` makes it wait for keys from outside (``--xcb``). It prints
every character the editor received, so the parent knows exactly what was typed.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# What the child types (cycled) when it types itself; the parent checks the stored text against
# what the child reports the editor received, so a lost tail is told from a garbled text.
TEXT = "本机关坚持以公开为常态不公开为例外全年主动公开政府信息三百五十六条依申请公开办理及时规范"
SECTION = "problems"
MAX_WAIT_S = 2.0  # the longest a typed character may stay unsaved (ui/pages/text_section.py)


# ---------------------------------------------------------------------------------------------
# The child: the real window, typing


def child(db: str, report_id: int, section: str, seed: int | None) -> int:
    """The window, typing itself (``seed``) or receiving keys from outside (``seed`` None)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import gongkai_desktop.ui  # noqa: F401 - the None reference guard, before any Qt call
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from gongkai_desktop.ui import app as A

    rnd = random.Random(seed)
    qapp = A.make_application()
    window = A.create_window(db)
    if window is None:
        return 3
    window.resize(1200, 800)
    window.show()
    # the same handlers the program installs (older builds: their one function)
    install = getattr(A, "install_close_handlers", None) or getattr(A, "_close_on_termination")
    install(qapp, window)
    window.open_report(report_id)
    window.editor.go(section)
    edit = window.editor.pages[section].text.edit
    window.activateWindow()
    edit.setFocus()
    state = {"n": 0}

    def out(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    if seed is None:  # keys come from the X server: report each character as the editor gets it
        def received() -> None:
            text = edit.toPlainText()
            if len(text) > state["n"]:
                for i in range(state["n"], len(text)):
                    out(f"typed {i + 1} {text[i]} {time.time():.3f}")
                state["n"] = len(text)
        edit.textChanged.connect(received)
        QTimer.singleShot(300, lambda: out(f"ready {int(window.winId())}"))
        return qapp.exec()

    def tick() -> None:
        if window.ctx.document is None or not window.isVisible():
            return  # closing: no more keys
        n = state["n"]
        ch = TEXT[n % len(TEXT)]
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(edit, QKeyEvent(kind, 0, Qt.NoModifier, ch))
        state["n"] = n + 1
        out(f"typed {n + 1} {ch} {time.time():.3f}")
        # bursts of quick keys, now and then a pause near the save delay (so saves start and
        # end all the time), now and then a long run without any pause
        r = rnd.random()
        delay = rnd.randint(300, 650) if r < 0.12 else rnd.randint(15, 90)
        timer.start(delay)

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(tick)
    QTimer.singleShot(50, lambda: (out("ready"), timer.start(10)))
    return qapp.exec()


# ---------------------------------------------------------------------------------------------
# The parent: trials


def make_db(folder: Path) -> tuple[Path, int]:
    from gongkai_desktop.storage.store import Store

    db = folder / "reports.db"
    with Store.open(db, backups=False) as store:
        rid = store.create("某某县交通运输局", 2025, "department")
    return db, rid


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _xdotool_typist(window_id: str, env: dict, rnd: random.Random, stop: threading.Event) -> None:
    """Type like a clerk through the X server: bursts of letters, now and then a pause."""
    subprocess.run(["xdotool", "windowfocus", "--sync", window_id], env=env, timeout=10,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    i = 0
    while not stop.is_set():
        burst = "".join(LETTERS[(i + k) % len(LETTERS)] for k in range(rnd.randint(3, 15)))
        i += len(burst)
        r = subprocess.run(["xdotool", "type", "--delay", str(rnd.randint(20, 80)), burst], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode != 0:
            return
        if rnd.random() < 0.3:
            time.sleep(rnd.uniform(0.3, 0.65))


class Xvfb:
    """A private X display for the trials (``--xcb``)."""

    def __init__(self):
        # -displayfd: Xvfb picks a free display number and writes it once it accepts clients
        r, w = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(w,))
        os.close(w)
        with os.fdopen(r) as fh:
            number = fh.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def trial(folder: Path, sig: int, *, seed: int, run_for: float, timeout: float = 90.0,
          display: str | None = None) -> dict:
    """One trial: type for ``run_for`` seconds after the window is ready, then send ``sig``.
    Returns typed / committed / lost / beyond (characters older than MAX_WAIT_S not committed,
    only meaningful for SIGKILL) / intact (the database passes its check) / rc. With ``display``
    the window runs there (xcb) and xdotool types."""
    from gongkai_desktop.storage.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    db, rid = make_db(folder)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    if display:
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    p = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(db), str(rid), SECTION,
                          "x" if display else str(seed)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    ready = threading.Event()
    stop = threading.Event()

    def read() -> None:
        for line in p.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("ready"):
                ready.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    err = ""
    typist = None
    try:
        if not ready.wait(timeout):
            raise RuntimeError("the window did not come up: " + (p.stderr.read() if p.poll() is not None else ""))
        if display:
            wid = next(ln.split()[1] for ln in lines if ln.startswith("ready"))
            typist = threading.Thread(target=_xdotool_typist, args=(wid, env, random.Random(seed), stop), daemon=True)
            typist.start()
        time.sleep(run_for)
        sent_at = time.time()
        p.send_signal(sig)
        rc = p.wait(timeout=timeout)
        reader.join(10)
        err = p.stderr.read()
    finally:
        stop.set()
        if p.poll() is None:
            p.kill()
            p.wait()
        if typist is not None:
            typist.join(10)
    typed = [(int(a), ch, float(t)) for _, a, ch, t in (ln.split() for ln in lines if ln.startswith("typed "))]
    n = typed[-1][0] if typed else 0
    with Store.open(db, backups=False) as store:
        text = store.load(rid).sections.get(SECTION, "")
        intact = store._conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    expected = "".join(ch for _, ch, _ in typed)  # what the editor received, in order
    garbled = not expected.startswith(text)
    old_enough = sum(1 for _, _, t in typed if t < sent_at - MAX_WAIT_S - 0.5)  # keys older than the guarantee
    return {"typed": n, "committed": len(text), "lost": n - len(text) if not garbled else n,
            "beyond": max(0, old_enough - len(text)), "garbled": garbled, "intact": intact, "rc": rc,
            "stderr": err[-2000:]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=30)
    ap.add_argument("--signal", choices=("term", "kill", "both"), default="both")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--xcb", action="store_true", help="a real X display (Xvfb) and X key events (xdotool)")
    ap.add_argument("--child", nargs=4, metavar=("DB", "REPORT", "SECTION", "SEED"))
    args = ap.parse_args(argv)
    if args.child:
        db, rid, section, seed = args.child
        return child(db, int(rid), section, None if seed == "x" else int(seed))
    rnd = random.Random(args.seed)
    sigs = {"term": [signal.SIGTERM], "kill": [signal.SIGKILL], "both": [signal.SIGTERM, signal.SIGKILL]}[args.signal]
    xvfb = Xvfb() if args.xcb else None
    display = xvfb.display if xvfb else None
    print(f"window: {'xcb on Xvfb ' + display + ', keys from xdotool' if display else 'offscreen, key events'}")
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        for sig in sigs:
            name = "SIGTERM" if sig == signal.SIGTERM else "SIGKILL"
            tot = {"typed": 0, "committed": 0, "lost": 0, "beyond": 0}
            losing, bad = 0, 0
            t0 = time.perf_counter()
            for i in range(args.trials):
                r = trial(Path(tmp) / f"{name}-{i}", sig, seed=rnd.randrange(10 ** 6), run_for=rnd.uniform(0.5, 4.5),
                          display=display)
                for k in tot:
                    tot[k] += r[k]
                losing += r["lost"] > 0
                bad += r["garbled"] or not r["intact"] or (sig == signal.SIGTERM and r["rc"] != 0)
                print(f"  {name} trial {i + 1:2d}: typed {r['typed']:4d}  committed {r['committed']:4d}  "
                      f"lost {r['lost']:3d}  beyond-2s {r['beyond']:3d}  rc {r['rc']}"
                      + ("  GARBLED" if r["garbled"] else "") + ("" if r["intact"] else "  DAMAGED"), flush=True)
                if r["rc"] not in (0, -signal.SIGKILL) and r["stderr"]:
                    print("    " + r["stderr"].strip().replace("\n", "\n    "), flush=True)
            print(f"{name}: trials {args.trials}, typed {tot['typed']}, committed {tot['committed']}, "
                  f"lost {tot['lost']} in {losing} trials, beyond 2 s {tot['beyond']}, garbled/damaged/bad exit {bad} "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
    if xvfb:
        xvfb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Text-check speed figures (printed, never asserted): the full check — table rules and the nine
text checks — of a 10,000-character report with last year's report beside it (the reuse check
compares every paragraph with last year's), as the editor runs it after every edit.

    python benchmarks/bench_text_checks.py          (target: full check ≤ 10 ms)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import corpus  # noqa: E402
from gongkai_desktop.report import rules  # noqa: E402
from gongkai_desktop.report.text import base  # noqa: E402

TARGET_CHARS = 10_000


def grown(report, target: int, seed: int = 0):
    """The report with paragraphs of the other corpus reports added to its sections (each once,
    as distinct as the paragraphs of one long report) until it holds ``target`` characters."""
    donors = [corpus.load(p, with_previous=False) for p in corpus.files() if not corpus.expectations(p)]
    donors = donors[seed % len(donors):] + donors[:seed % len(donors)]
    for round_ in range(10):
        for donor in donors:
            for sid, text in donor.sections.items():
                if sum(len(t) for _, t in base.texts(report)) >= target:
                    return report
                if text and sid in report.sections and report.sections[sid]:
                    if round_:  # a second pass takes the paragraphs in reverse order
                        text = "\n".join(reversed(text.split("\n")))
                    report.sections[sid] += "\n" + text
    return report


def clear_caches() -> None:
    """As after opening a report: nothing analysed yet."""
    from gongkai_desktop.report.text import numbers, reuse

    for cache in (numbers._ANALYSES, numbers._PARAGRAPHS, numbers._FOUND, reuse._PREV_CACHE, reuse._SIMILAR,
                  base._MEMO):
        cache.clear()
    for fn in (base.normalize, base._paragraphs, base._sentences, numbers._cn_value, numbers._mentions_in, reuse._masked,
               reuse._squeezed, reuse._section_chars):
        fn.cache_clear()


def measure(fn, n: int) -> tuple[list[float], list[float]]:
    """(wall-clock times, CPU times of this process). On a shared machine the CPU time is the
    better figure for what one check costs: the wall clock also counts waiting for a core."""
    fn()  # warm: compiled patterns, last year's prepared paragraphs
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
    return wall, cpu


def line(name: str, times: tuple[list[float], list[float]]) -> str:
    wall, cpu = (sorted(t) for t in times)
    p95 = wall[int(0.95 * (len(wall) - 1))]
    return (f"{name}: median {statistics.median(wall) * 1000:.2f} ms (CPU {statistics.median(cpu) * 1000:.2f} ms), "
            f"p95 {p95 * 1000:.2f} ms")


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    report = grown(corpus.load("county_gov_2025.txt"), TARGET_CHARS)
    report.previous = grown(report.previous, TARGET_CHARS, seed=3)
    chars = sum(len(t) for _, t in base.texts(report))
    prev_chars = sum(len(t) for _, t in base.texts(report.previous))
    paras = sum(len(base.paragraphs(s, t)) for s, t in base.texts(report))
    print(f"report: {chars} characters in {paras} paragraphs; last year's: {prev_chars} characters")
    findings = rules.check(report)
    print(f"findings: {len(findings)} ({', '.join(sorted({f.rule_id for f in findings})) or 'none'})")

    print(line("full check, nothing changed since the last check", measure(lambda: rules.check(report), 200)))

    # Typing: one section changes between two checks (the editor re-checks after every edit).
    sections = [sid for sid, t in report.sections.items() if t]
    state = {"n": 0}

    def after_an_edit():
        state["n"] += 1
        sid = sections[state["n"] % len(sections)]
        report.sections[sid] += "字"
        rules.check(report)

    print(line("full check after typing in one section (all rules, text checks included)",
               measure(after_an_edit, 200)) + "  (target ≤ 10 ms)")

    def cold():
        clear_caches()
        rules.check(report)

    print(line("full check with nothing cached (the first after opening the report)", measure(cold, 30)))
    fmt = report.format
    for rule in fmt.rules:
        if rule.kind.startswith("text_"):
            fn = rules.KINDS[rule.kind][0]

            def one(rule=rule, fn=fn):
                clear_caches()
                list(fn(rule, report, fmt))

            print("  " + line(f"{rule.id} {rule.kind}, nothing cached", measure(one, 20)))


if __name__ == "__main__":
    main()

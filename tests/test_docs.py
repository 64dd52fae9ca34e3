"""Keep the README honest: the commands it shows exist, and CI runs the test command it gives."""

import re
from pathlib import Path

from gongkai_desktop.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_documented_subcommand_exists_with_its_options():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    documented = re.findall(r"^gongkai (\w+)(.*)$", README, re.M)
    assert {n for n, _ in documented} == set(sub.choices)
    for name, rest in documented:
        assert name in sub.choices, name
        known = {opt for a in sub.choices[name]._actions for opt in a.option_strings}
        for opt in re.findall(r"(--[\w-]+)", rest.split("  ")[0]):
            assert opt in known, (name, opt)


def test_two_commands_and_ci_runs_the_same_tests():
    assert "python3 -m pip install -e . && gongkai" in README
    assert "bash .ci/run" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install' in ci and '-e ".[test]"' in ci and "python3 -m pytest" in ci
    assert "apt-get install" in ci and "libreoffice-writer-nogui" in ci and "poppler-utils" in ci and "xvfb" in ci


def test_exchange_format_page_documents_every_field_the_program_writes():
    """docs/exchange-format.md's table names every key an exchange file holds, and its title the
    current version."""
    import json as _json

    from gongkai_desktop.storage import exchange
    from sample import full_report

    page = (ROOT / "docs" / "exchange-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([\w.]+)` \|", page, re.M))
    doc = _json.loads(exchange.dumps(full_report(2025)))
    written = (set(doc) - {"meta"}) | {f"meta.{k}" for k in doc["meta"]}
    assert written <= documented, written - documented
    assert f"version {exchange.codec.VERSION})" in page.splitlines()[0]

"""``gongkai``: the command line, a thin face on the core (the window is the other one).

With no subcommand it starts the window. Every failure prints a Chinese message on stderr and
exits 2 (1 for ``check`` with 错误 findings); bad input never produces a traceback. Heavy modules
(Qt, reportlab, python-docx) are imported only by the commands that need them, so ``gongkai
check`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from . import texts as T
from .errors import GongkaiError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese errors and exit code 2 (the same code as unreadable input)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(T.CLI_BAD_COMMAND.format(detail=_translate_argparse(message)) + "\n")
        raise SystemExit(EXIT_USAGE)


def _translate_argparse(message: str) -> str:
    for en, zh in T.CLI_ARGPARSE:
        message = message.replace(en, zh)
    return message


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH", help=T.CLI_HELP["db"])


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gongkai", description=T.CLI_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    _add_db(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar=T.CLI_HELP["command"])

    p = sub.add_parser("schema", help=T.CLI_HELP["schema"])
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("new", help=T.CLI_HELP["new"])
    p.add_argument("--organ", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--organ-type", default="department",
                   help=T.CLI_HELP["organ_type"])
    _add_db(p)

    p = sub.add_parser("list", help=T.CLI_HELP["list"])
    p.add_argument("--json", action="store_true")
    _add_db(p)

    p = sub.add_parser("import", help=T.CLI_HELP["import"])
    p.add_argument("file")
    _add_db(p)

    p = sub.add_parser("dump", help=T.CLI_HELP["dump"])
    p.add_argument("id", type=int)
    p.add_argument("-o", "--output", metavar="FILE")
    _add_db(p)

    p = sub.add_parser("carry", help=T.CLI_HELP["carry"])
    p.add_argument("id", type=int)
    p.add_argument("--to-year", type=int, required=True)
    _add_db(p)

    p = sub.add_parser("check", help=T.CLI_HELP["check"])
    p.add_argument("target", metavar="FILE|ID")
    p.add_argument("--json", action="store_true")
    _add_db(p)

    p = sub.add_parser("export", help=T.CLI_HELP["export"])
    p.add_argument("target", metavar="FILE|ID")
    p.add_argument("--docx", metavar="OUT")
    p.add_argument("--pdf", metavar="OUT")
    p.add_argument("--font", action="append", default=[], metavar="ROLE=FAMILY",
                   help=T.CLI_HELP["font"])
    _add_db(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _utf8_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _run_window(args.db)
    handler = _COMMANDS[args.command]
    try:
        return handler(args)
    except GongkaiError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def main_gui() -> int:
    """Entry point of the windowed launcher (no console on Windows)."""
    return main()


def _run_window(db: str | None) -> int:
    from .ui.preflight import display_problem

    message, fatal = display_problem()
    if message:
        sys.stderr.write(message + "\n")
    if fatal:
        return EXIT_USAGE
    from .ui.app import run  # Qt only when the window is asked for

    return run(db)


def _utf8_stdio() -> None:
    # A Windows console may default to GBK; exchange files and messages are UTF-8.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass


def _open_store(args):
    from .storage.store import Store

    return Store.open(args.db)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------------------------------------
# Commands


def cmd_schema(args) -> int:
    from .report.formats import format_for_year
    from .report.describe import describe, schema_json

    fmt = format_for_year(args.year)
    if args.json:
        _print_json(schema_json(fmt))
    else:
        sys.stdout.write(describe(fmt))
    return EXIT_OK


def cmd_new(args) -> int:
    with _open_store(args) as store:
        rid = store.create(args.organ, args.year, args.organ_type)
    print(T.CLI_CREATED.format(id=rid))
    return EXIT_OK


def cmd_list(args) -> int:
    with _open_store(args) as store:
        rows = store.list_reports()
    if args.json:
        _print_json([{
            "id": r.id, "organ": r.organ, "organ_type": r.organ_type, "year": r.year, "format": r.format_id,
            "status": r.status, "progress": round(r.progress, 3), "errors": r.errors, "warnings": r.warnings,
            "updated_at": r.updated_at,
        } for r in rows])
        return EXIT_OK
    if not rows:
        sys.stderr.write(T.CLI_EMPTY_STORE + "\n")
    for r in rows:
        print(T.CLI_LIST_LINE.format(id=r.id, year=r.year, organ=r.organ, format=r.format_id,
                                     status=T.STATUS.get(r.status, r.status), progress=r.progress,
                                     errors=r.errors, warnings=r.warnings, updated=r.updated_at))
    return EXIT_OK


def cmd_import(args) -> int:
    from .storage import exchange

    report, notes = exchange.load_file(args.file)
    for n in notes:
        sys.stderr.write(n + "\n")
    with _open_store(args) as store:
        rid = store.add(report)
    print(rid)
    return EXIT_OK


def cmd_dump(args) -> int:
    from .storage import exchange

    with _open_store(args) as store:
        report = store.load(args.id)
    if args.output:
        exchange.dump_file(report, args.output)
    else:
        sys.stdout.write(exchange.dumps(report))
    return EXIT_OK


def cmd_carry(args) -> int:
    with _open_store(args) as store:
        rid = store.carry(args.id, args.to_year)
    print(rid)
    return EXIT_OK


def _load_target(args):
    """A FILE (exchange file) or an ID in the store. A path that exists wins over an id."""
    from .storage import exchange

    target = args.target
    if Path(target).exists() or not target.isdigit():
        if not Path(target).exists():
            raise _NotFound(T.CLI_NOT_FOUND.format(arg=target))
        report, notes = exchange.load_file(target)
        for n in notes:
            sys.stderr.write(n + "\n")
        if args.db:  # cross-year checks need last year's report: look in the store when given one
            with _open_store(args) as store:
                prev_id = store.find(report.meta.organ, report.meta.year - 1)
                if prev_id is not None:
                    report.previous = store.load(prev_id)
        return report
    with _open_store(args) as store:
        return store.load(int(target))


class _NotFound(GongkaiError):
    pass


def cmd_check(args) -> int:
    from .report.rules import check

    report = _load_target(args)
    findings = check(report)
    if args.json:
        _print_json({"report": {"organ": report.meta.organ, "year": report.meta.year, "format": report.format_id},
                     "findings": [f.as_dict() for f in findings]})
    else:
        for f in findings:
            extra = T.CLI_EXPLANATION.format(text=f.explanation) if f.explanation else ""
            print(f"[{f.severity_label}] {f.rule_id} {f.message}{extra}")
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        print(T.CLI_NO_FINDINGS if not findings else
              T.CLI_SUMMARY.format(errors=counts["error"], warnings=counts["warning"], infos=counts["info"]))
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def cmd_export(args) -> int:
    from .documents.export import export_report

    if not args.docx and not args.pdf:
        sys.stderr.write(T.CLI_EXPORT_NO_TARGET + "\n")
        return EXIT_USAGE
    overrides = {}
    for item in args.font:
        role, _, family = item.partition("=")
        if not family:
            sys.stderr.write(T.CLI_FONT_ARG.format(item=item) + "\n")
            return EXIT_USAGE
        overrides[role.strip()] = family.strip()
    report = _load_target(args)
    result = export_report(report, docx_path=args.docx, pdf_path=args.pdf, font_overrides=overrides or None)
    for line in result.messages:
        sys.stderr.write(line + "\n")
    for path in result.written:
        print(path)
    return EXIT_OK


_COMMANDS = {
    "schema": cmd_schema, "new": cmd_new, "list": cmd_list, "import": cmd_import, "dump": cmd_dump,
    "carry": cmd_carry, "check": cmd_check, "export": cmd_export,
}


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

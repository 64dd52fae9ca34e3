"""``gongkai``: the command line, a thin face on the core (the window is the other one).

With no subcommand it starts the window. Every failure prints a Chinese message on stderr and
exits 2 (1 for ``check`` with 错误 findings); bad input never produces a traceback. Heavy modules
(Qt, reportlab, python-docx) are imported only by the commands that need them, so ``gongkai
check`` starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from pathlib import Path

from . import __version__
from . import texts as T
from .errors import GongkaiError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@contextlib.contextmanager
def _chinese_argparse():
    """argparse's own words (「usage:」, 「options」, its error messages) in Chinese.

    argparse looks its messages up through the module-level gettext functions at call time and
    ships no Chinese catalogue, so they are swapped for the table in texts.py while argparse
    works, and restored afterwards (the window never sees the change)."""
    saved = argparse._, argparse.ngettext
    argparse._ = lambda msg: T.CLI_ARGPARSE.get(msg, msg)
    argparse.ngettext = lambda one, many, n: T.CLI_ARGPARSE.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese words and errors, and exit code 2 (the same code as unreadable input)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        with _chinese_argparse():
            super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=T.CLI_HELP["help"])

    def format_usage(self) -> str:
        with _chinese_argparse():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese_argparse():
            text = super().format_help()
        # argparse ends each section heading with an ASCII colon of its own (not translatable)
        return re.sub(r"^(\S[^\n]*?):$", r"\1：", text, flags=re.M)

    def parse_known_args(self, args=None, namespace=None):
        with _chinese_argparse():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args=None, namespace=None):
        with _chinese_argparse():
            return super().parse_args(args, namespace)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(T.CLI_BAD_COMMAND.format(detail=message) + "\n")
        raise SystemExit(EXIT_USAGE)


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(T.CLI_NOT_INTEGER.format(text=text)) from None


def _command(sub, name: str) -> argparse.ArgumentParser:
    """A subcommand that takes ``--db`` like every other one. Its ``--db`` has no default of its
    own (SUPPRESS), so ``gongkai --db X cmd`` and ``gongkai cmd --db X`` both reach the store, and
    with neither the store falls back to ``$GONGKAI_DB`` or the user data directory."""
    p = sub.add_parser(name, help=T.CLI_HELP[name], description=T.CLI_HELP[name])
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=T.CLI_HELP["db"])
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gongkai", description=T.CLI_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}", help=T.CLI_HELP["version"])
    parser.add_argument("--db", metavar="PATH", help=T.CLI_HELP["db"])
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar=T.CLI_HELP["command"],
                                title=T.CLI_HELP["commands"])
    h = T.CLI_HELP

    p = _command(sub, "format")
    p.add_argument("--year", type=_integer, required=True, metavar="年度", help=h["year"])
    p.add_argument("--json", action="store_true", help=h["json"])

    p = _command(sub, "new")
    p.add_argument("--organ", required=True, metavar="名称", help=h["organ"])
    p.add_argument("--year", type=_integer, required=True, metavar="年度", help=h["year"])
    p.add_argument("--organ-type", metavar="类型", help=_organ_type_help())

    p = _command(sub, "list")
    p.add_argument("--json", action="store_true", help=h["json"])

    p = _command(sub, "import")
    p.add_argument("file", metavar="FILE", help=h["file"])

    p = _command(sub, "dump")
    p.add_argument("id", type=_integer, metavar="ID", help=h["id"])
    p.add_argument("-o", "--output", metavar="FILE", help=h["output"])

    p = _command(sub, "carry")
    p.add_argument("id", type=_integer, metavar="ID", help=h["id"])
    p.add_argument("--to-year", type=_integer, required=True, metavar="年度", help=h["to_year"])

    p = _command(sub, "check")
    p.add_argument("target", metavar="FILE|ID", help=h["target"])
    p.add_argument("--json", action="store_true", help=h["json"])
    # engineer E: the statistics sentences written from the tables, per section id
    p = _command(sub, "sentences")
    p.add_argument("target", metavar="FILE|ID")
    p.add_argument("--json", action="store_true")

    # The outputs' options come from the renderer registry (documents/export.py).
    for command, document in (("export", "report"), ("jiedu", "jiedu")):
        p = _command(sub, command)
        p.add_argument("target", metavar="FILE|ID", help=h["target"])
        for option in _output_options(document):
            p.add_argument(option, metavar="OUT", dest="out_" + option[2:].replace("-", "_"),
                           help=T.CLI_OUTPUT_HELP.format(labels="、".join(
                               T.CLI_OUTPUT_LABEL.format(label=r.label, suffix=r.suffix)
                               for r in _outputs_of(document) if r.cli_option == option)))
        p.add_argument("--font", action="append", default=[], metavar="ROLE=FAMILY", help=h["font"])

    p = _command(sub, "package")
    p.add_argument("target", metavar="FILE|ID", help=h["target"])
    p.add_argument("--out", required=True, metavar="DIR", help=h["package_out"])
    p.add_argument("--no-zip", action="store_true", help=h["package_no_zip"])
    p.add_argument("--font", action="append", default=[], metavar="ROLE=FAMILY", help=h["font"])

    # -- engineer F: reading published reports and the register (logic in reading/, register/) --
    from .reading import command as read_cmd
    from .register import command as ledger_cmd

    p = sub.add_parser("read", help=read_cmd.CLI_HELP, description=read_cmd.CLI_HELP)
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=T.CLI_HELP["db"])
    p.add_argument("file", metavar="FILE", help=read_cmd.CLI_FILE)
    p.add_argument("--dry-run", action="store_true", help=read_cmd.CLI_DRY_RUN)
    p = sub.add_parser("ledger", help=ledger_cmd.CLI_HELP, description=ledger_cmd.CLI_HELP)
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=T.CLI_HELP["db"])
    p.add_argument("file", metavar="FILE", help=ledger_cmd.CLI_FILE)
    p.add_argument("--year", type=_integer, required=True, help=ledger_cmd.CLI_YEAR)
    p.add_argument("--map", metavar="MAP.json", help=ledger_cmd.CLI_MAP)
    p.add_argument("--json", action="store_true", help=ledger_cmd.CLI_JSON)
    p.add_argument("--into", type=_integer, metavar="ID", help=ledger_cmd.CLI_INTO)

    # -- the supervising office's collection (logic in collection/) --
    from .collection import texts as CT

    p = sub.add_parser("collect", help=CT.CLI_HELP, description=CT.CLI_HELP)
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=T.CLI_HELP["db"])
    p.add_argument("paths", nargs="*", metavar="PATH", help=CT.CLI_PATHS)
    p.add_argument("--year", type=_integer, required=True, metavar="年度", help=CT.CLI_YEAR)
    p.add_argument("--expect", metavar="LIST", help=CT.CLI_EXPECT)
    p.add_argument("--json", action="store_true", help=CT.CLI_JSON)
    p.add_argument("--xlsx", metavar="OUT.xlsx", help=CT.CLI_XLSX)
    p.add_argument("--docx", metavar="OUT.docx", help=CT.CLI_DOCX)
    p.add_argument("--letter", metavar="OUT.docx|OUT.pdf", help=CT.CLI_LETTER)
    p.add_argument("--types", metavar="TYPES", help=CT.CLI_TYPES)
    p.add_argument("--region", metavar="NAME", help=CT.CLI_REGION)
    p.add_argument("--office", metavar="NAME", help=CT.CLI_OFFICE)
    return parser


def _outputs_of(document: str):
    from .documents.export import renderers

    return renderers(document)


def _output_options(document: str) -> list[str]:
    return list(dict.fromkeys(r.cli_option for r in _outputs_of(document)))


def _organ_type_help() -> str:
    from .report.formats import all_formats

    types = dict(t for fmt in all_formats() for t in fmt.organ_types)
    return T.CLI_HELP["organ_type"].format(choices=" / ".join(f"{i}（{label}）" for i, label in types.items()))


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
    except BrokenPipeError:  # `gongkai dump 1 | head`: the reader left, nothing to say
        return EXIT_OK
    except OSError as exc:  # a file the command itself reads or writes (not through write_atomic)
        from .storage.fileio import os_error_text

        sys.stderr.write(T.CLI_OS_ERROR.format(path=exc.filename or "", detail=os_error_text(exc)) + "\n")
        return EXIT_USAGE
    except Exception as exc:  # a bug: one Chinese line for the clerk, the detail for the maintainer
        if os.environ.get("GONGKAI_DEBUG"):
            raise
        sys.stderr.write(T.CLI_INTERNAL.format(detail=f"{type(exc).__name__}: {exc}") + "\n")
        return EXIT_USAGE


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


def cmd_format(args) -> int:
    from .report.formats import format_for_year
    from .report.describe import describe, format_json

    fmt = format_for_year(args.year)
    if args.json:
        _print_json(format_json(fmt))
    else:
        sys.stdout.write(describe(fmt))
    return EXIT_OK


def cmd_new(args) -> int:
    from .report.formats import format_for_year
    from .report.model import default_organ_type

    organ_type = args.organ_type or default_organ_type(format_for_year(args.year))
    with _open_store(args) as store:
        rid = store.create(args.organ, args.year, organ_type)
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
        out = Path(args.output)
        if out.is_dir():  # a folder: the proposed name, made safe (the organ may hold "/" or "..")
            out = out / exchange.default_name(report.meta.organ, report.meta.year)
        exchange.dump_file(report, out)
        print(out)
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
        from .report.text.base import heading

        for f in findings:
            extra = T.CLI_EXPLANATION.format(text=f.explanation) if f.explanation else ""
            # engineer S: a text finding names the section it is in (the same words may stand in several)
            where = heading(report, f.section) if f.span is not None else ""
            where = T.CLI_FINDING_WHERE.format(heading=where) if where and where not in f.message else ""
            print(f"[{f.severity_label}] {f.rule_id} {where}{f.message}{extra}")
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        print(T.CLI_NO_FINDINGS if not findings else
              T.CLI_SUMMARY.format(errors=counts["error"], warnings=counts["warning"], infos=counts["info"]))
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def cmd_sentences(args) -> int:
    """engineer E: ``gongkai sentences FILE|ID [--json]``: the sentences the tables give, per
    section id, and whether each is linked (inserted and untouched) in the text."""
    from .report import sentences

    report = _load_target(args)
    generated = sentences.generate(report)
    linked = {sid: {kind for kind, _, _ in spans} for sid, spans in sentences.linked(report).items()}
    # engineer S: blank is not zero — a sentence whose cells are blank is not written; say why
    not_filled = {s.id: {k: sentences.not_filled(report, k) for k in sentences.kinds_for(report, s.id)
                         if k not in generated.get(s.id, {})} for s in report.format.sections}
    not_filled = {sid: kinds for sid, kinds in not_filled.items() if kinds}
    if args.json:
        _print_json({"report": {"organ": report.meta.organ, "year": report.meta.year, "format": report.format_id},
                     "sentences": generated, "not_filled": not_filled,
                     "linked": {sid: sorted(kinds) for sid, kinds in linked.items()}})
        return EXIT_OK
    for s in report.format.sections:
        if s.id not in generated and s.id not in not_filled:
            continue
        print(s.heading)
        for kind, text in generated.get(s.id, {}).items():
            mark = T.CLI_SENTENCE_LINKED if kind in linked.get(s.id, ()) else ""
            print(f"  {text}{mark}")
        for text in not_filled.get(s.id, {}).values():
            print(f"  {text}")
    return EXIT_OK


def _font_overrides(args) -> dict[str, str] | None:
    overrides = {}
    for item in args.font:
        role, _, family = item.partition("=")
        if not family:
            raise _NotFound(T.CLI_FONT_ARG.format(item=item))
        overrides[role.strip()] = family.strip()
    return overrides or None


def cmd_export(args, document: str = "report") -> int:
    from .documents.export import export_report, renderer_for_path

    outputs = {}
    for option in _output_options(document):
        path = getattr(args, "out_" + option[2:].replace("-", "_"))
        if path:
            outputs[renderer_for_path(document, (option[2:]).replace("-", "_"), path).kind] = path
    if not outputs:
        sys.stderr.write(T.CLI_EXPORT_NO_TARGET.format(options=" / ".join(_output_options(document))) + "\n")
        return EXIT_USAGE
    overrides = _font_overrides(args)
    report = _load_target(args)
    result = export_report(report, outputs=outputs, font_overrides=overrides)
    for line in result.messages:
        sys.stderr.write(line + "\n")
    for path in result.written:
        print(path)
    return EXIT_OK


def cmd_jiedu(args) -> int:
    return cmd_export(args, "jiedu")


def cmd_package(args) -> int:
    from .documents.package import make_package

    overrides = _font_overrides(args)
    report = _load_target(args)
    result = make_package(report, args.out, zip_too=not args.no_zip, font_overrides=overrides)
    for line in result.messages:
        sys.stderr.write(line + "\n")
    print(result.folder)
    if result.zip_path:
        print(result.zip_path)
    return EXIT_OK


def cmd_read(args) -> int:  # engineer F
    from .reading.command import run

    return run(args.file, args.dry_run, lambda: _open_store(args))


def cmd_ledger(args) -> int:  # engineer F
    from .register.command import run

    return run(args.file, args.year, args.map, args.json, args.into, lambda: _open_store(args))


def cmd_collect(args) -> int:
    from .collection.command import run

    return run(args, lambda: _open_store(args))


_COMMANDS = {  # a new subcommand: a _command(...) in build_parser and one entry here
    "read": cmd_read, "ledger": cmd_ledger, "collect": cmd_collect,
    "format": cmd_format, "new": cmd_new, "list": cmd_list, "import": cmd_import, "dump": cmd_dump,
    "carry": cmd_carry, "check": cmd_check, "sentences": cmd_sentences, "export": cmd_export, "jiedu": cmd_jiedu, "package": cmd_package,
}


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

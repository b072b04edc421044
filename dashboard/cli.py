"""The command line: ``python -m dashboard demo | load | query | serve | bench`` (DESIGN.md section 7)."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import duckdb

from . import config
from .i18n import get_language, set_language, t, t_error
from .schema import TABLE_NAMES

# The workspace of the process that serves command-line requests (dashboard.owner), while it runs one.
_owned = threading.local()


def _workspace_path(path: str | None) -> Path:
    return (Path(path) if path else config.workspace_path()).resolve()


def _workspace(path: str | None):
    from .workspace import Workspace

    owned = getattr(_owned, "ws", None)
    if owned is not None and owned.path is not None and owned.path.resolve() == _workspace_path(path):
        return owned
    return Workspace(_workspace_path(path))


def _release(ws) -> None:
    """Close a workspace this command opened (not the serving process's own)."""
    if ws is not getattr(_owned, "ws", None):
        ws.close()


def run_for_owner(ws, argv: list[str]) -> tuple[int, str, str]:
    """Run one command-line request on ``ws``, this process's open workspace: (exit code, stdout, stderr)."""
    from .owner import run_captured

    language = get_language()
    command = next((a for a in argv if a in ("load", "query", "demo", "serve", "bench")), None)
    if command not in ("load", "query"):
        return 2, "", t("cli_owner_refuses", command=command or "-") + "\n"
    _owned.ws = ws
    try:
        return run_captured(lambda: main(argv))
    finally:
        _owned.ws = None
        set_language(language)


def cmd_demo(args) -> int:
    """Write the demo exports."""
    from .demo import write_exports

    paths = write_exports(Path(args.out), args.customers, args.seed)
    for name, path in paths.items():
        print(f"{name:13} {path}")
    return 0


def format_report(prepared, record: dict | None = None) -> str:
    """The validation report of one prepared file, as the Data page shows it, in plain text."""
    lines = [
        t("cli_report_file", file=prepared.file_name, kind=t(f"table_{prepared.kind}")),
        t(
            "cli_report_format",
            encoding=prepared.raw.encoding or "-",
            delimiter=repr(prepared.raw.delimiter or "-"),
            sheet=prepared.raw.sheet or "-",
        ),
        t("cli_report_mapping") + " " + ", ".join(f"{c} -> {f}" for c, f in prepared.mapping.items() if f),
    ]
    unmapped = [c for c, f in prepared.mapping.items() if not f]
    if unmapped:
        lines.append(t("cli_report_unmapped") + " " + ", ".join(unmapped))
    ambiguous = [c for c, fmt in prepared.formats.items() if fmt.ambiguous]
    if ambiguous:
        lines.append(t("load_ambiguous_dates", columns=", ".join(ambiguous)))
    if prepared.already_loaded_at is not None:
        lines.append(t("load_already_loaded", when=str(prepared.already_loaded_at)))
    lines.append(t("cli_report_rows", read=prepared.rows_read, ok=prepared.rows_ok, rejected=prepared.rows_rejected))
    counts = prepared.reason_counts()
    for row in counts.itertuples():
        lines.append(
            f"  {row.rows:>8}  {t('severity_' + row.severity):8} {row.column or '-'} ({row.field or '-'}):"
            f" {t(row.reason)}"
        )
    if record:
        lines.append(
            t(
                "cli_report_loaded",
                rows=record["rows_after"],
                table=prepared.kind,
                mode=record["mode"],
                replaced=record["rows_replaced"],
            )
        )
    return "\n".join(lines)


def _parse_map(items: list[str]) -> dict[str, str | None]:
    pairs = (item.partition("=") for item in items or [])
    return {col: field or None for col, _, field in pairs}


def _write_rejects(ws, prepared) -> Path | None:
    """Write the problems of ``prepared`` beside the workspace (``rejects/``); the path, or None when none."""
    from .export import write_csv

    problems = prepared.problems()
    if not len(problems):
        return None
    rejects_dir = (ws.path.parent if ws.path else Path.cwd()) / "rejects"
    rejects_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{prepared.kind}-{datetime.now():%Y%m%d-%H%M%S}-{Path(prepared.file_name).stem}"
    out, n = rejects_dir / f"{stem}.csv", 1
    while out.exists():  # two files of one name in a command, or a command run twice in a second
        n += 1
        out = rejects_dir / f"{stem}-{n}.csv"
    write_csv(problems.assign(reason_text=problems["reason"].map(t)), out)
    return out


def cmd_load(args) -> int:
    """Load export files as one command: every file is read and checked first, then all are loaded together.

    A table takes the files of its kind only when every one of them could be read: a file that fails leaves its
    table as it was. The tables that load do so in one transaction (one undo step). Exit status 0 when every
    file loaded, 1 otherwise.
    """
    from .ingest import LoadError, commit_many, prepare

    ws = _workspace(args.workspace)
    kind = None if args.kind == "auto" else args.kind
    mode = "append" if args.append else "replace"
    overrides = _parse_map(args.map)
    ready, failed = [], {}  # failed: table (or the file name, when its table is unknown) -> file names
    try:
        for name in args.files:
            path = Path(name)
            try:
                if not path.exists():
                    raise LoadError("err_no_file", file=name)
                prepared = prepare(
                    ws, path, path.name, kind=kind, mapping=overrides, sheet=args.sheet, day_first=args.day_first
                )
            except LoadError as exc:
                print(t("cli_error", file=name, message=t_error(exc.code, exc.detail)), file=sys.stderr)
                # Under 'auto' a file that could not be read belongs to no known table: it holds back all of them.
                failed.setdefault(kind or "*", []).append(name)
                continue
            ready.append(prepared)
            if prepared.rows_ok == 0:
                print(format_report(prepared))
                message = t_error("err_nothing_valid", {"rejected": prepared.rows_rejected})
                print(t("cli_error", file=name, message=message), file=sys.stderr)
                failed.setdefault(prepared.kind, []).append(name)
        for table, names in failed.items():
            if table in TABLE_NAMES:
                print(t("cli_table_kept", kind=t(f"table_{table}"), files=", ".join(names)), file=sys.stderr)
        if "*" in failed:
            print(t("cli_unknown_table_kept", files=", ".join(failed["*"])), file=sys.stderr)
        loading = [p for p in ready if p.kind not in failed and "*" not in failed]
        records = []
        if loading:
            try:
                records = commit_many(ws, loading, mode)
            except LoadError as exc:
                print(t("cli_command_failed", message=t_error(exc.code, exc.detail)), file=sys.stderr)
                failed["*"] = [p.file_name for p in loading]
        done = dict(zip(map(id, loading), records, strict=False)) if records else {}
        for prepared in ready:
            if prepared.rows_ok:  # a file with no valid row had its report printed above
                print(format_report(prepared, done.get(id(prepared))))
            out = _write_rejects(ws, prepared)
            if out:
                print(t("cli_rejects_written", path=str(out)))
            print()
    finally:
        for prepared in ready:
            prepared.discard()
        _release(ws)
    return 1 if failed else 0


def cmd_query(args) -> int:
    """Run one query (or model, dashboard/models.py) by name and print its result, read from the result store."""
    from .models import MODELS
    from .queries import QueryTimeout, coerce_param, list_queries
    from .results import definition

    try:
        info = definition(args.name)
    except KeyError:
        names = ", ".join([*list_queries(), *sorted(MODELS)])
        print(t("cli_unknown_query", name=args.name, names=names), file=sys.stderr)
        return 2
    params = {}
    for item in args.param or []:
        key, _, value = item.partition("=")
        try:
            params[key] = coerce_param(info, key, value)
        except KeyError:
            print(t("cli_unknown_param", key=key, params=", ".join(info.params) or "-"), file=sys.stderr)
            return 2
        except ValueError as exc:
            print(t("cli_bad_param", key=key, error=str(exc)), file=sys.stderr)
            return 2
    ws = _workspace(args.workspace)
    if "start" in info.params and "start" not in params or "end" in info.params and "end" not in params:
        from .filters import default_period

        start, end = default_period(ws.cursor())
        params.setdefault("start", start)
        params.setdefault("end", end)
    try:
        df = ws.results.frame(args.name, params)
    except (duckdb.Error, MemoryError, QueryTimeout) as exc:
        from .ingest.raw import first_line

        print(t("cli_query_failed", name=args.name, detail=first_line(exc)), file=sys.stderr)
        return 1
    finally:
        _release(ws)
    if args.format == "csv":
        from .export import neutralise

        # People open this in Excel as often as programs read it: no cell may start a formula.
        neutralise(df).to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(json.dumps(json.loads(df.to_json(orient="records", date_format="iso")), ensure_ascii=False, indent=1))
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200):
            print(df.to_string(index=False))
    return 0


def cmd_serve(args) -> int:
    """Start the web app (localhost unless --address is given)."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(config.ROOT / "app.py")]
    cmd += ["--server.address", args.address, "--server.port", str(args.port)]
    env = dict(os.environ)
    if args.workspace:
        env["CRI_WORKSPACE"] = str(Path(args.workspace).resolve())
    return subprocess.call(cmd, cwd=config.ROOT, env=env)


def cmd_bench(args) -> int:
    """Run the benchmark (see dashboard.bench)."""
    from .bench import main as bench_main

    return bench_main(args)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    # No abbreviated options: '--work x' must not mean one thing here and another in the app it is forwarded to.
    p = argparse.ArgumentParser(prog="python -m dashboard", description=t("cli_description"), allow_abbrev=False)
    p.add_argument("--lang", choices=["en", "zh"], default=os.environ.get("CRI_LANG", "en"))
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("demo", help=t("cli_help_demo"), allow_abbrev=False)
    d.add_argument("--out", default=str(config.SAMPLES_DIR))
    d.add_argument("--customers", type=int, default=2000)
    d.add_argument("--seed", type=int, default=7)
    d.set_defaults(func=cmd_demo)

    ld = sub.add_parser("load", help=t("cli_help_load"), allow_abbrev=False)
    ld.add_argument("kind", choices=["auto", *TABLE_NAMES])
    ld.add_argument("files", nargs="+")
    g = ld.add_mutually_exclusive_group()
    g.add_argument("--replace", action="store_true", default=True)
    g.add_argument("--append", action="store_true")
    ld.add_argument("--map", action="append", metavar="COL=FIELD", help=t("cli_help_map"))
    ld.add_argument("--sheet")
    dates = ld.add_mutually_exclusive_group()
    dates.add_argument("--dayfirst", dest="day_first", action="store_const", const=True)
    dates.add_argument("--monthfirst", dest="day_first", action="store_const", const=False)
    ld.set_defaults(func=cmd_load)

    q = sub.add_parser("query", help=t("cli_help_query"), allow_abbrev=False)
    q.add_argument("name")
    q.add_argument("--param", action="append", metavar="KEY=VALUE")
    q.add_argument("--format", choices=["csv", "json", "table"], default="table")
    q.set_defaults(func=cmd_query)
    for on_workspace in (ld, q):
        on_workspace.add_argument("--workspace")
        on_workspace.add_argument("--wait", type=float, default=600, help=t("cli_help_wait"))

    s = sub.add_parser("serve", help=t("cli_help_serve"), allow_abbrev=False)
    s.add_argument("--address", default="localhost")
    s.add_argument("--port", type=int, default=8501)
    s.add_argument("--workspace")
    s.set_defaults(func=cmd_serve)

    b = sub.add_parser("bench", help=t("cli_help_bench"), allow_abbrev=False)
    b.add_argument("--customers", type=int, default=1_000_000)
    b.add_argument("--repeat", type=int, default=5)
    b.add_argument("--out", default=str(config.ROOT / "data" / "bench"))
    b.add_argument("--skip-pages", action="store_true")
    b.add_argument("--skip-ingest", action="store_true", help="reuse the workspace an earlier run loaded")
    b.set_defaults(func=cmd_bench)
    return p


# What data may hold that a terminal would act on: C0 and C1 controls (ESC starts colour, clear-screen, title and
# hyperlink sequences) and the bidirectional overrides that reorder what is shown.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class _Printable(io.TextIOBase):
    """A terminal stream that shows control characters from data as escapes instead of obeying them."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(_CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                                        else f"\\u{ord(m.group()):04x}", text))  # fmt: skip
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m dashboard``; returns the exit code.

    Printed to a terminal, values from data cannot drive it (colours, titles, links, clearing): their control
    characters are shown escaped. Redirected to a file or a pipe, the output is the data exactly.
    """
    if sys.stdout.isatty() and not isinstance(sys.stdout, _Printable):
        sys.stdout = _Printable(sys.stdout)
    if sys.stderr.isatty() and not isinstance(sys.stderr, _Printable):
        sys.stderr = _Printable(sys.stderr)
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in argv:
        set_language(argv[argv.index("--lang") + 1])
    args = build_parser().parse_args(argv)
    set_language(args.lang)
    if args.command not in ("load", "query"):
        return args.func(args)
    return _run_on_workspace(args)


def _run_on_workspace(args) -> int:
    """Run ``load`` or ``query`` on the workspace: directly, through the app that has it open, or once free.

    The app serves requests for the workspace it holds (dashboard.owner); any other process holding it (another
    load) is waited for, up to ``--wait`` seconds, saying which process it is.
    """
    from .owner import forward
    from .workspace import WorkspaceBusy

    deadline, told = time.monotonic() + args.wait, False
    while True:
        try:
            return args.func(args)
        except WorkspaceBusy as busy:
            answer = forward(busy, _forwarded(args))
            if answer is not None:
                code, out, err = answer
                sys.stdout.write(out)
                sys.stderr.write(err)
                return code
            if time.monotonic() >= deadline:
                print(t("cli_busy_gave_up", path=str(busy.path), pid=busy.pid or "?"), file=sys.stderr)
                return 3
            if not told:
                print(t("cli_busy_waiting", path=str(busy.path), pid=busy.pid or "?"), file=sys.stderr)
                told = True
            time.sleep(0.5)


def _forwarded(args) -> list[str]:
    """The command line of ``args`` (load or query) for a process with another working directory.

    Rebuilt from the parsed arguments, never by rewriting the typed ones: every path is absolute and the
    workspace is the one this command would have opened, however it was spelled (``--workspace=x``).
    """
    out = ["--lang", get_language(), args.command]
    if args.command == "load":
        out += [args.kind, *(str(Path(f).resolve()) for f in args.files), "--append" if args.append else "--replace"]
        for item in args.map or []:
            out += ["--map", item]
        if args.sheet:
            out += ["--sheet", args.sheet]
        if args.day_first is not None:
            out.append("--dayfirst" if args.day_first else "--monthfirst")
    else:
        out.append(args.name)
        for item in args.param or []:
            out += ["--param", item]
        out += ["--format", args.format]
    return [*out, "--workspace", str(_workspace_path(args.workspace))]

"""One process owns a workspace at a time; the command line reaches it through that process.

DuckDB lets one process write a database file and no other process open it meanwhile. The web app holds its
workspace for its whole life (its caches and the uploads being reviewed live on that connection), so the command
line cannot open it beside the app. Instead the owner (the app) listens on a localhost port for command-line
requests, and the command line sends its ``load`` or ``query`` there: they run on the owner's connection, loads
one at a time under the workspace's lock, and the app shows a load's data as soon as it is committed.

The port and a random token are written beside the workspace (``<workspace>.owner.json``, readable by its owner
only); a request without the token is refused. A process that holds the file without serving (a command-line load
running first) is waited for, with a message saying which process it is.
"""

from __future__ import annotations

import atexit
import contextlib
import hmac
import io
import json
import os
import secrets
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .workspace import WorkspaceBusy

_TIMEOUT = 6 * 3600  # a request may be a ten-million-row load
_lock = threading.Lock()


def ticket_path(workspace: Path) -> Path:
    """Where the owner of ``workspace`` writes its port and token."""
    return workspace.with_name(workspace.name + ".owner.json")


def serve(workspace: Path, run: Callable[[list[str]], tuple[int, str, str]]) -> ThreadingHTTPServer:
    """Serve command-line requests for ``workspace`` on a localhost port, on a daemon thread.

    ``run(argv)`` runs one command in this process and returns (exit code, stdout, stderr); requests run one at
    a time. The ticket file is written now and removed when the process exits.
    """
    token = secrets.token_urlsafe(32)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
            given = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if not hmac.compare_digest(given, token):
                self.send_error(403)
                return
            argv = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))["argv"]
            with _lock:
                code, out, err = run(argv)
            body = json.dumps({"code": code, "stdout": out, "stderr": err}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass  # the app's terminal is not a request log

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="workspace-owner").start()
    ticket = ticket_path(workspace)
    # A new file each time: an existing one (left by a killed app) keeps its mode, which may let others read.
    with contextlib.suppress(FileNotFoundError):
        ticket.unlink()
    fd = os.open(ticket, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"pid": os.getpid(), "port": server.server_address[1], "token": token}, fh)
    atexit.register(_remove_ticket, ticket, os.getpid())
    return server


def _remove_ticket(ticket: Path, pid: int) -> None:
    with contextlib.suppress(OSError, ValueError):
        if json.loads(ticket.read_text())["pid"] == pid:
            ticket.unlink()


def forward(busy: WorkspaceBusy, argv: list[str]) -> tuple[int, str, str] | None:
    """Run ``argv`` in the process that holds the workspace; None when that process does not serve requests."""
    try:
        ticket = json.loads(ticket_path(busy.path).read_text())
    except (OSError, ValueError):
        return None
    if busy.pid is not None and ticket.get("pid") != busy.pid:
        return None
    request = urllib.request.Request(
        f"http://127.0.0.1:{ticket['port']}/run",
        data=json.dumps({"argv": argv}).encode(),
        headers={"Authorization": f"Bearer {ticket['token']}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
            answer = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None
    return answer["code"], answer["stdout"], answer["stderr"]


def run_captured(fn: Callable[[], int]) -> tuple[int, str, str]:
    """Run ``fn`` with its printed output captured: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = fn()
        except SystemExit as exc:  # argparse refusing the arguments
            code = exc.code if isinstance(exc.code, int) else 2
        except Exception as exc:  # noqa: BLE001 - said to the caller, never a dropped connection it would retry
            from .i18n import t
            from .ingest.raw import first_line

            print(t("cli_request_failed", message=first_line(exc)), file=sys.stderr)
            code = 1
    return code, out.getvalue(), err.getvalue()

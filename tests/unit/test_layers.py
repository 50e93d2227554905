"""Layering and network rules, checked on the source and on a live interpreter.

Two exceptions, each to exactly one place:
- ``sandbox/render.py`` loads Qt outside ``ui/``: QtPdf renders PDF pages there, inside a
  confined worker process, so the window never parses a PDF itself (issue 12). Nothing
  in the program's own process imports it.
- ``sandbox/pool.py``, ``sandbox/worker.py`` and ``sandbox/wire.py`` use ``socket`` for
  the workers' channel: a Unix socket pair made before the worker starts. Workers can
  create no socket at all (seccomp), which tests/unit/sandbox proves from inside one.
"""

import ast
import socket
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "nco_desktop"
# urllib.parse only splits strings, so it is allowed; everything here can reach a network.
NETWORK_MODULES = (
    "socket",
    "ssl",
    "http",
    "urllib.request",
    "urllib3",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "imaplib",
    "poplib",
    "xmlrpc",
    "asyncio",
    "socketserver",
    "telnetlib",
    "webbrowser",
)


def _is_network(module: str) -> bool:
    return any(module == n or module.startswith(n + ".") for n in NETWORK_MODULES)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


#: The one module outside ui/ that may import Qt (see the module docstring).
QT_IN_WORKER = PACKAGE / "sandbox" / "render.py"
#: The modules that may import socket, for the workers' Unix socket pair only.
WORKER_CHANNEL = {
    PACKAGE / "sandbox" / name for name in ("pool.py", "worker.py", "wire.py", "zygote.py")
}


def _core_files() -> list[Path]:
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if "ui" not in p.relative_to(PACKAGE).parts and p != QT_IN_WORKER
    ]


def test_the_renderer_is_the_only_qt_outside_the_window():
    assert QT_IN_WORKER.exists()
    assert "PySide6.QtPdf" in _imports(QT_IN_WORKER)
    importers = {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "nco_desktop.sandbox.render" in _imports(p)
        or ("render" in _from_sandbox(p) and p.parent.name == "sandbox")
    }
    # ocr_task and service_page_task run only in the worker too: they share the
    # renderer's picture checks and pages.
    worker_tasks = {"sandbox/worker.py", "sandbox/ocr_task.py", "sandbox/service_page_task.py"}
    assert importers <= worker_tasks
    ocr_users = {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "nco_desktop.sandbox.ocr_task" in _imports(p) or "ocr_task" in _from_sandbox(p)
    }
    assert ocr_users <= {"sandbox/worker.py", "sandbox/service_page_task.py"}


def _from_sandbox(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "nco_desktop.sandbox"
        for alias in node.names
    }


def test_nothing_outside_ui_imports_qt_in_the_source():
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(m for m in _imports(p) if m.split(".")[0] == "PySide6")
        for p in _core_files()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_core_module_loads_no_qt():
    modules = sorted(
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for p in _core_files()
        if p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k.startswith(('PySide6', 'shiboken'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_no_network_modules_in_the_program():
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(
            m for m in _imports(p) if _is_network(m) and not (m == "socket" and p in WORKER_CHANNEL)
        )
        for p in PACKAGE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_worker_channel_is_a_unix_socket_pair_only():
    """The channel modules make no socket but the pair (and the worker's inherited end)."""
    calls = set()
    for path in WORKER_CHANNEL:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "socket"
                and node.attr[0].islower()
            ):
                calls.add(node.attr)
    # send_fds/recv_fds: the zygote hands each child its end of a pair (SCM_RIGHTS)
    assert calls <= {"socketpair", "socket", "send_fds", "recv_fds"}
    source = (PACKAGE / "sandbox" / "pool.py").read_text(encoding="utf-8")
    assert "socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)" in source
    assert "socket.socket(fileno=" in (PACKAGE / "sandbox" / "worker.py").read_text("utf-8")


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_suite_itself_cannot_open_a_network_socket():
    with pytest.raises(Exception, match=r"(?i)socket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


UI = PACKAGE / "ui"
#: The window's parts. A view's package may import only itself and ui.common; the shell
#: puts the views together and may import them all; common imports only common.
VIEW_PACKAGES = (
    "start",
    "importing",
    "timeline",
    "detail",
    "patterns",
    "incidents",
    "people",
    "exhibits",
    "binder",
)


def _ui_imports(path: Path) -> set[str]:
    """The ui packages a module imports: "common", "timeline", …"""
    found = set()
    for module in _imports(path):
        parts = module.split(".")
        if parts[:2] == ["nco_desktop", "ui"] and len(parts) > 2:
            found.add(parts[2])
    return found


def test_the_window_is_a_folder_per_view():
    loose = sorted(p.name for p in UI.glob("*.py") if p.name != "__init__.py")
    assert loose == [], "every ui module belongs to a view's folder, shell or common"
    packages = {p.name for p in UI.iterdir() if (p / "__init__.py").exists()}
    assert packages == {"common", "shell", *VIEW_PACKAGES}


def test_views_do_not_import_each_other():
    offenders = {}
    for package in (*VIEW_PACKAGES, "common"):
        allowed = {"common", package}
        for path in (UI / package).rglob("*.py"):
            wrong = _ui_imports(path) - allowed
            if wrong:
                offenders[str(path.relative_to(PACKAGE))] = sorted(wrong)
    assert offenders == {}


def test_only_the_shell_and_the_launcher_reach_the_shell():
    users = {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "shell" in _ui_imports(p) and "shell" not in p.relative_to(PACKAGE).parts
    }
    assert users <= {"cli.py", "__main__.py"}

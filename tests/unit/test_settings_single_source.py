"""Every environment variable is read in one place per side (backend_api/core/settings.py,
planner_app/settings.py) and listed in the README's configuration tables."""

import ast
import re
from pathlib import Path

from backend_api.core.settings import ProcessSettings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULES = {"backend_api/core/settings.py", "planner_app/settings.py"}
# Writes that are not reads, each with its reason. Kept tiny: a new entry needs a reason as good.
ALLOWED_WRITES = {
    # prometheus_client reads PROMETHEUS_MULTIPROC_DIR itself in every forked worker: the server's
    # parent hands it the directory it made.
    "backend_api/core/metrics.py",
}


def _python_files():
    for package in ("backend_api", "planner_app"):
        yield from sorted((ROOT / package).rglob("*.py"))


def environment_uses(tree: ast.AST) -> list[tuple[int, bool]]:
    """(line, is a write) of every `os.environ` / `os.getenv` / `os.putenv`, and every `environ` or
    `getenv` imported from os."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os":
            if node.attr in ("environ", "getenv", "putenv", "unsetenv"):
                parent = parents.get(node)
                write = isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store)
                uses.append((node.lineno, write))
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            if {alias.name for alias in node.names} & {"environ", "getenv", "environb", "getenvb"}:
                uses.append((node.lineno, False))
    return sorted(uses)


def test_the_walk_finds_reads_and_writes():
    # Guards the walk itself: one that found nothing would make the next test pass vacuously.
    code = "import os\nfrom os import getenv\na = os.environ.get('A')\nb = os.getenv('B')\nos.environ['C'] = '1'\n"
    assert environment_uses(ast.parse(code)) == [(2, False), (3, False), (4, False), (5, True)]


def test_the_environment_is_read_only_in_the_settings_modules():
    stray = []
    for path in _python_files():
        name = path.relative_to(ROOT).as_posix()
        if name in SETTINGS_MODULES:
            continue
        for line, write in environment_uses(ast.parse(path.read_text(), filename=name)):
            if not (write and name in ALLOWED_WRITES):
                stray.append(f"{name}:{line}")
    assert not stray, f"read the environment through core/settings.py or planner_app/settings.py: {stray}"


def variables_read(path: Path) -> set[str]:
    """The names passed to `.get(…)` or used as `[…]` keys in a settings module, string constants
    bound at module level resolved."""
    tree = ast.parse(path.read_text())
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def name_of(arg) -> str | None:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
        return constants.get(arg.id) if isinstance(arg, ast.Name) else None

    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
        ):
            names.add(name_of(node.args[0]))
        elif isinstance(node, ast.Subscript):
            names.add(name_of(node.slice))
    return {name for name in names if name and re.fullmatch(r"[A-Z][A-Z0-9_]+", name)}


def test_the_readme_lists_every_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))
    read = set().union(*(variables_read(ROOT / name) for name in SETTINGS_MODULES))
    assert {"DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR", "PLANNER_API_URL", "BCRYPT_ROUNDS"} <= read
    assert read <= listed, f"add to the README's configuration table: {sorted(read - listed)}"


def test_process_settings_defaults_and_parsing():
    assert ProcessSettings.from_env({}) == ProcessSettings()
    parsed = ProcessSettings.from_env(
        {"METRICS_PORT": "9464", "LOG_FORMAT": "TEXT", "LOG_LEVEL": "debug", "WEB_CONCURRENCY": "4"}
    )
    assert (parsed.metrics_port, parsed.log_format, parsed.log_level, parsed.workers) == (9464, "text", "DEBUG", 4)
    # An empty password or directory is none at all: a random password, a temporary directory.
    assert ProcessSettings.from_env({"PLANNER_ADMIN_PASSWORD": "", "PROMETHEUS_MULTIPROC_DIR": ""}) == ProcessSettings()

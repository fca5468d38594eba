"""The scale-out topology on one machine (`make serve-scaled`): PostgreSQL and Redis (already
running), the API under several worker processes, two Reflex app backends keeping their state in
Redis, and nginx in front serving the exported frontend. The same processes, with other addresses,
are what runs on several machines (README, "Scale-out").

    python -m deploy.scaled [--no-seed]      # settings: the environment, see Topology.from_env

Starts everything, waits until each part answers, prints the URL and stops everything on Ctrl-C or
SIGTERM (or when one of the processes dies). The e2e test uses `running()` directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX = "/usr/sbin/nginx"
START_TIMEOUT_SECONDS = 120
BUILD_TIMEOUT_SECONDS = 600
STOP_GRACE_SECONDS = 15


class TopologyFailed(RuntimeError):
    """A part did not start (or died); the message ends with its log."""


@dataclass(frozen=True)
class Topology:
    database_url: str
    redis_url: str
    var_dir: Path
    host: str = "127.0.0.1"
    nginx_port: int = 3100
    app_ports: tuple[int, int] = (3101, 3102)
    api_port: int = 6610
    api_workers: int = 2
    app_workers: int = 1  # granian workers per app backend (Reflex would start 2 x cores + 1 each)
    nginx_workers: int = 1
    jwt_secret: str = field(default="", repr=False)
    # The exported frontend, kept across runs (and shared by the e2e test): a build takes a minute.
    build_dir: Path = ROOT / "var" / "scaled" / "build"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Topology:
        ports = env.get("SCALED_APP_PORTS", "3101,3102").split(",")
        return cls(
            database_url=env.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/planner_scaled",
            redis_url=env.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            var_dir=Path(env.get("SCALED_VAR_DIR") or ROOT / "var" / "scaled"),
            nginx_port=int(env.get("SCALED_PORT", 3100)),
            app_ports=(int(ports[0]), int(ports[1])),
            api_port=int(env.get("SCALED_API_PORT", 6610)),
            api_workers=int(env.get("SCALED_API_WORKERS", 2)),
            app_workers=int(env.get("SCALED_APP_WORKERS", 1)),
            jwt_secret=env.get("JWT_SECRET", ""),
        )

    @property
    def url(self) -> str:
        # "localhost": the frontend's websocket address is built for it (Reflex points a
        # localhost address at whatever host the page came from, app1.localhost included).
        return f"http://localhost:{self.nginx_port}"

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.api_port}/api"


def ensure_database(url: str) -> None:
    """CREATE DATABASE when a PostgreSQL database is missing (through the server's `postgres` one)."""
    import psycopg
    from sqlalchemy.engine import make_url

    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        return
    admin = target.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (target.database,)).fetchone():
            conn.execute(f'CREATE DATABASE "{target.database}"')


def _secret(topology: Topology) -> str:
    """JWT_SECRET, or one generated once and kept: every API worker and restart must share it."""
    if topology.jwt_secret:
        return topology.jwt_secret
    path = topology.var_dir / "jwt_secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _reflex_env() -> dict[str, str]:
    """Offline settings for Reflex (REFLEX-RECIPE.md, as the Makefile's REFLEX_ENV)."""
    registry = subprocess.run(["npm", "config", "get", "registry"], capture_output=True, text=True).stdout.strip()
    return {
        "PATH": f"{ROOT / 'tools/node_modules/.bin'}:{os.environ.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "REFLEX_TELEMETRY_ENABLED": "false",
        **({"NPM_CONFIG_REGISTRY": registry} if registry else {}),
    }


def environment(topology: Topology, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """What every process of the topology is started with (`extra` last)."""
    return {
        **os.environ,
        **_reflex_env(),
        "PLANNER_ENV": "production",
        "PLANNER_VAR_DIR": str(topology.var_dir),
        "DATABASE_URL": topology.database_url,
        "JWT_SECRET": _secret(topology),
        # nginx and the app backends reach the API from this machine: their X-Forwarded-For is
        # believed, anybody else's is not.
        "TRUSTED_PROXIES": os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1"),
        "REDIS_URL": topology.redis_url,  # the API's sign-in throttle, shared by its workers
        "REFLEX_REDIS_URL": topology.redis_url,  # the app's per-tab state, shared by its backends
        "PLANNER_API_URL": topology.api_url,
        # The app backends are behind one proxy: the browser's address is the last X-Forwarded-For.
        "REFLEX_TRUSTED_PROXY_HOPS": "1",
        "REFLEX_API_URL": topology.url,
        **(extra or {}),
    }


def _run(env: dict, *args: str) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise TopologyFailed(
            f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
        )
    return done.stdout


def prepare_database(env: dict, seed: bool) -> str:
    """Migrate, then (`seed`) the demo data and the first admin; returns what ensure-admin printed."""
    _run(env, sys.executable, "-m", "backend_api", "migrate")
    if seed:
        _run(env, sys.executable, "-m", "backend_api", "seed-demo")
    return _run(env, sys.executable, "-m", "backend_api", "ensure-admin")


def build_frontend(topology: Topology, env: dict, log: Callable[[str], None] = print) -> Path:
    """The exported frontend (its static directory), built once per build version and public URL:
    the websocket's address is compiled into the bundle. Kept under var/, so a restart reuses it."""
    from planner_app.pwa import BUILD_VERSION

    key = hashlib.sha256(f"{BUILD_VERSION}|{topology.url}".encode()).hexdigest()[:16]
    builds = topology.build_dir
    web = builds / key
    static = web / "build" / "client"
    if (static / "index.html").exists():
        return static
    for old in builds.glob("*"):  # one build at a time on disk
        shutil.rmtree(old, ignore_errors=True)
    log(f"building the frontend for {topology.url} (version {BUILD_VERSION}) ...")
    log_path = topology.var_dir / "logs" / "build.log"
    with log_path.open("w") as out:
        done = subprocess.run(
            [str(ROOT / ".venv/bin/reflex"), "export", "--frontend-only", "--no-zip", "--env", "prod"],
            cwd=ROOT,
            env={**env, "REFLEX_WEB_WORKDIR": str(web)},
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=BUILD_TIMEOUT_SECONDS,
        )
    if done.returncode or not (static / "index.html").exists():
        raise TopologyFailed(f"the frontend build failed:\n{log_path.read_text()[-3000:]}")
    return static


def security_headers(static: Path) -> str:
    """The app's own browser protections (planner_app/security.py) as nginx add_header lines: with
    nginx serving the pages, the CSP with this build's inline-script hashes has to come from it."""
    from planner_app.security import SECURITY_HEADERS, content_security_policy

    headers = [("content-security-policy", content_security_policy(static)), *SECURITY_HEADERS]
    lines = []
    for name, value in headers:
        name = name.decode() if isinstance(name, bytes) else name
        value = value.decode() if isinstance(value, bytes) else value
        lines.append(f'            add_header {name} "{value}" always;')
    return "\n".join(lines)


def render_nginx(topology: Topology, static: Path) -> Path:
    values = {
        "VAR": str(topology.var_dir),
        "STATIC": str(static),
        "HOST": topology.host,
        "NGINX_PORT": str(topology.nginx_port),
        "NGINX_WORKERS": str(topology.nginx_workers),
        "API_PORT": str(topology.api_port),
        "APP1_PORT": str(topology.app_ports[0]),
        "APP2_PORT": str(topology.app_ports[1]),
        "SECURITY_HEADERS": security_headers(static),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (topology.var_dir / "nginx" / temp).mkdir(parents=True, exist_ok=True)
    conf = topology.var_dir / "nginx.conf"
    conf.write_text(text)
    return conf


def busy_ports(topology: Topology) -> list[int]:
    """Ports of the topology something else listens on: its health checks would be answered by
    that other server (a `make serve-scaled` still running, say)."""
    busy = []
    for port in (topology.nginx_port, *topology.app_ports, topology.api_port):
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((topology.host, port))
            except OSError:
                busy.append(port)
    return busy


class Processes:
    """The started processes, each in its own process group (a server's workers go with it)."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        with (self.logs / f"{name}.log").open("w") as out:
            proc = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running.append((name, proc))
        return proc

    def log_tail(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]

    def wait_until(self, name: str, proc: subprocess.Popen, url: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise TopologyFailed(f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)  # polling for a condition: a process coming up
        raise TopologyFailed(f"{name} did not answer {url} within {START_TIMEOUT_SECONDS} s:\n{self.log_tail(name)}")

    def dead(self) -> str | None:
        for name, proc in self.running:
            if proc.poll() is not None:
                return f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}"
        return None

    def stop(self) -> None:
        """SIGTERM to every group, newest first; SIGKILL to what is still there after the grace."""
        for _, proc in reversed(self.running):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for _, proc in reversed(self.running):
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.running.clear()


@contextlib.contextmanager
def running(
    topology: Topology, seed: bool = True, env: Mapping[str, str] | None = None, log: Callable[[str], None] = print
) -> Iterator[Processes]:
    """The whole topology, up and answering, until the block ends; `env`: more variables for every
    process (e.g. PLANNER_ADMIN_PASSWORD for the first admin)."""
    for sub in ("logs", "app-web"):
        (topology.var_dir / sub).mkdir(parents=True, exist_ok=True)
    topology.build_dir.mkdir(parents=True, exist_ok=True)
    if busy := busy_ports(topology):
        raise TopologyFailed(f"port(s) {', '.join(map(str, busy))} on {topology.host} already in use")
    env = environment(topology, env)
    ensure_database(topology.database_url)
    log(prepare_database(env, seed).strip())
    static = build_frontend(topology, env, log)
    conf = render_nginx(topology, static)
    processes = Processes(topology.var_dir / "logs")
    try:
        api = processes.start(
            "api",
            [
                sys.executable,
                "-m",
                "backend_api",
                "serve",
                "--host",
                topology.host,
                "--port",
                str(topology.api_port),
                "--workers",
                str(topology.api_workers),
            ],
            env,
        )
        apps = []
        for n, port in enumerate(topology.app_ports, start=1):
            app_env = {
                **env,
                "GRANIAN_WORKERS": str(topology.app_workers),
                # Both backends share one working directory, never the frontend build's.
                "REFLEX_WEB_WORKDIR": str(topology.var_dir / "app-web"),
                # Each its own: every `reflex run` empties its disk-state directory (unused with
                # Redis), and two emptying one directory at once trip over each other's files.
                "REFLEX_STATES_WORKDIR": str(topology.var_dir / f"app{n}-states"),
            }
            apps.append(
                processes.start(
                    f"app{n}",
                    [
                        str(ROOT / ".venv/bin/reflex"),
                        "run",
                        "--env",
                        "prod",
                        "--backend-only",
                        "--backend-host",
                        topology.host,
                        "--backend-port",
                        str(port),
                    ],
                    app_env,
                )
            )
        proxy = processes.start("nginx", [NGINX, "-p", str(topology.var_dir), "-c", str(conf)], env)
        processes.wait_until("api", api, f"{topology.api_url}/health/")
        for n, (port, app) in enumerate(zip(topology.app_ports, apps, strict=True), start=1):
            processes.wait_until(f"app{n}", app, f"http://{topology.host}:{port}/ping")
        for path in ("/", "/api/health/", "/ping"):
            processes.wait_until("nginx", proxy, topology.url + path)
        yield processes
    finally:
        processes.stop()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m deploy.scaled", description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-seed", action="store_true", help="no demo data (migrate and ensure-admin only)")
    args = parser.parse_args(argv)
    topology = Topology.from_env(os.environ)

    def stop(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        with running(topology, seed=not args.no_seed) as processes:
            print(
                f"Planner (scale-out) on {topology.url}  — API x{topology.api_workers} on :{topology.api_port}, "
                f"app backends on :{topology.app_ports[0]} and :{topology.app_ports[1]}, "
                f"logs in {topology.var_dir / 'logs'}; Ctrl-C stops it",
                flush=True,
            )
            while not (problem := processes.dead()):
                time.sleep(1)  # the servers run in their own processes; this one only watches
            print(problem, file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0
    except TopologyFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

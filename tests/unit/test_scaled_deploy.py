"""The scale-out topology's pieces that need no servers (deploy/scaled.py): its settings, the
environment its processes share, and the nginx config, which nginx itself must accept."""

import base64
import hashlib
import re
import socket
import subprocess
from pathlib import Path

import pytest

from deploy import scaled


def test_settings_come_from_the_environment_with_the_documented_defaults(tmp_path):
    default = scaled.Topology.from_env({})
    assert (default.nginx_port, default.app_ports, default.api_port) == (3100, (3101, 3102), 6610)
    assert default.database_url.endswith("/planner_scaled")
    topology = scaled.Topology.from_env(
        {"SCALED_PORT": "4100", "SCALED_APP_PORTS": "4101,4102", "SCALED_API_WORKERS": "4", "SCALED_VAR_DIR": "/x"}
    )
    assert (topology.nginx_port, topology.app_ports, topology.api_workers, topology.var_dir) == (
        4100,
        (4101, 4102),
        4,
        Path("/x"),
    )
    assert topology.url == "http://localhost:4100"


def test_every_process_shares_one_secret_and_finds_the_others(tmp_path):
    topology = scaled.Topology(database_url="postgresql://db/p", redis_url="redis://r:6379/3", var_dir=tmp_path)
    env = scaled.environment(topology, {"PLANNER_ADMIN_PASSWORD": "x"})
    assert env["JWT_SECRET"] == scaled.environment(topology)["JWT_SECRET"]  # generated once, kept
    assert len(env["JWT_SECRET"]) > 40
    assert env["PLANNER_ENV"] == "production"
    assert env["REFLEX_REDIS_URL"] == env["REDIS_URL"] == "redis://r:6379/3"
    assert env["PLANNER_API_URL"] == "http://127.0.0.1:6610/api"
    assert env["REFLEX_API_URL"] == "http://localhost:3100"
    assert env["REFLEX_TRUSTED_PROXY_HOPS"] == "1"
    assert env["PLANNER_ADMIN_PASSWORD"] == "x"
    given = scaled.Topology(database_url="", redis_url="", var_dir=tmp_path / "other", jwt_secret="s" * 48)
    assert scaled.environment(given)["JWT_SECRET"] == "s" * 48


def test_a_port_in_use_is_reported(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        topology = scaled.Topology(database_url="", redis_url="", var_dir=tmp_path, api_port=port)
        assert scaled.busy_ports(topology) == [port]


@pytest.fixture
def rendered(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "index.html").write_text("<html><script>boot()</script><script src='/a.js'></script></html>")
    topology = scaled.Topology(database_url="", redis_url="", var_dir=tmp_path / "var")
    (topology.var_dir / "logs").mkdir(parents=True)
    return topology, scaled.render_nginx(topology, static)


def test_the_nginx_config_pins_hosts_to_backends_and_carries_the_builds_csp(rendered):
    topology, conf = rendered
    text = conf.read_text()
    assert not re.search(r"@[A-Z0-9_]+@", text)  # every placeholder filled
    assert "app1.localhost planner_app_1;" in text and "app2.localhost planner_app_2;" in text
    assert "server 127.0.0.1:3101;" in text and "server 127.0.0.1:3102;" in text
    assert "server 127.0.0.1:6610;" in text
    digest = base64.b64encode(hashlib.sha256(b"boot()").digest()).decode()
    assert f"'sha256-{digest}'" in text  # the inline script of the build, and only the inline one
    assert text.count("add_header content-security-policy") == 2  # pages and /assets/
    assert f"pid {topology.var_dir}/nginx.pid;" in text


@pytest.mark.skipif(not Path(scaled.NGINX).exists(), reason="nginx is not installed")
def test_nginx_accepts_the_rendered_config(rendered):
    topology, conf = rendered
    done = subprocess.run(
        [scaled.NGINX, "-t", "-p", str(topology.var_dir), "-c", str(conf)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr

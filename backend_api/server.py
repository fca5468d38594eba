"""Production server: waitress threads in several pre-forked worker processes sharing one
listening socket (the API is stateless — sessions are rows — so any worker can serve any call)."""

import os
import signal
import socket
import sys


def serve(host: str, port: int, workers: int, threads: int) -> None:
    import waitress

    from .core import metrics
    from .core.logs import configure_logging

    configure_logging()
    metrics_port = metrics.configured_port()
    if metrics_port:
        metrics.prepare_multiprocess()  # before any worker exists: they inherit where to write
        metrics.serve_metrics(metrics_port)  # in the parent: the sum over every worker
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    print(f"serving the API on http://{host}:{port}/api/ with {workers} worker(s) x {threads} threads", flush=True)

    children = []
    for _ in range(max(workers, 1)):
        pid = os.fork()
        if pid == 0:
            # Each worker builds its own app: engines and pools must not cross a fork.
            from backend_api import main

            app = main({})
            # waitress reads a whole body (spilling to a temporary file) before the app runs. The app
            # refuses anything over the cap with its JSON 413; waitress's own, plain, 413 is the
            # backstop that stops reading at twice the cap.
            # Proxy headers pass through to the app, which believes X-Forwarded-For only from
            # TRUSTED_PROXIES (auth/services.client_ip); waitress would strip them, leaving every
            # user behind a proxy with the proxy's address (one shared throttle, wrong sessions).
            waitress.serve(app, sockets=[sock], threads=threads, ident="planner",
                           max_request_body_size=2 * app.registry.planner_settings.max_request_bytes,
                           clear_untrusted_proxy_headers=False)
            os._exit(0)
        children.append(pid)

    def stop(signum, _frame):
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in children:
        pid, _status = os.wait()
        metrics.worker_exited(pid)

"""Slow clients against the production recipe: does a page still answer within 1 s while 50
connections are held open by clients that send their request, or its body, a byte at a time?

Usage: .venv/bin/python bench/slow_clients.py [slow-connections] [seconds]
Starts, on the loopback only, gunicorn with deploy/gunicorn.conf.py (4 sync workers, the
production settings, Redis database 1 for the cache) and Debian's nginx with the limits and
proxy settings of deploy/ in front of it (`apt-get install nginx`), then for each attack and
each way in (gunicorn alone, nginx in front) holds the slow connections and times a page
(the sign-in page) every half second. Stops everything it started. Ports 8180 (nginx) and
8181 (gunicorn); DATABASE_URL defaults to a fresh SQLite file, migrated first.
"""

import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine_description

ROOT = Path(__file__).resolve().parent.parent
NGINX_PORT, GUNICORN_PORT = 8180, 8181
PAGE = "/fr/accounts/login/"

NGINX_CONF = """
daemon off;
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    upstream lms_app {{ server 127.0.0.1:{gunicorn}; }}
    server {{
        listen 127.0.0.1:{nginx};
        include {root}/deploy/nginx-limits.conf;
        location / {{
            include {root}/deploy/nginx-proxy.conf;
            proxy_pass http://lms_app;
        }}
    }}
}}
"""

ATTACKS = {
    # Declares a body of 1,000 bytes, sends 10, then a byte every few seconds.
    "slow body to the LRS (anonymous)": (
        b"POST /xapi/statements HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"X-Experience-API-Version: 1.0.3\r\nContent-Length: 1000\r\n\r\n" + b'[{"actor":'
    ),
    # The same against a form of the site: Django reads the body to check the CSRF token.
    "slow body to a form": (
        b"POST /fr/accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        + b"login=awa&"
    ),
    # Headers that never end (slowloris).
    "slow headers": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
}


def _environ(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        REDIS_URL="redis://127.0.0.1:6379/1",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        WEB_CONCURRENCY="4",
        GUNICORN_BIND=f"127.0.0.1:{GUNICORN_PORT}",
        LOG_LEVEL="WARNING",
    )
    return env


def _wait_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def _page_seconds(port: int) -> float:
    """Time to the whole answer of one GET of the page (40 s at most)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=40) as sock:
        sock.sendall(
            f"GET {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        head = sock.recv(64)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"unexpected answer: {head!r}")
        while sock.recv(65536):
            pass
    return time.monotonic() - started


def _hold(port: int, request: bytes, count: int, stop: threading.Event) -> list[socket.socket]:
    """Open ``count`` connections, send ``request`` and then a byte every 5 s until ``stop``;
    a connection the server closes is opened again at once, as an attacker would."""
    sockets: list[socket.socket | None] = [None] * count

    def open_one(index: int) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(request)
            sockets[index] = sock
        except OSError:
            sockets[index] = None

    for index in range(count):
        open_one(index)

    def trickle() -> None:
        while not stop.wait(5):
            for index, sock in enumerate(sockets):
                try:
                    if sock is None:
                        raise OSError
                    sock.sendall(b"x")
                except OSError:
                    if sock is not None:
                        sock.close()
                    open_one(index)

    threading.Thread(target=trickle, daemon=True).start()
    return sockets


def _scenario(port: int, request: bytes | None, count: int, seconds: float) -> dict:
    stop = threading.Event()
    sockets = _hold(port, request, count, stop) if request else []
    time.sleep(1)  # let the slow connections reach the workers
    times, failures = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            times.append(_page_seconds(port))
        except (OSError, RuntimeError):
            failures += 1
        time.sleep(0.5)
    stop.set()
    for sock in sockets:
        if sock is not None:
            sock.close()
    time.sleep(2.5)  # gunicorn lingers up to 2 s on a closed connection
    times.sort()
    return {
        "pages": len(times),
        "failed": failures,
        "median": statistics.median(times) if times else float("nan"),
        "max": times[-1] if times else float("nan"),
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 12
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is not installed: apt-get install nginx")
    tmp = Path(tempfile.mkdtemp(prefix="bench-slow-"))
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    env = _environ(database_url)
    python = str(ROOT / ".venv/bin/python")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([python, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)
    (tmp / "nginx.conf").write_text(
        NGINX_CONF.format(tmp=tmp, root=ROOT, nginx=NGINX_PORT, gunicorn=GUNICORN_PORT)
    )
    gunicorn = subprocess.Popen(
        [python, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "lms.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "gunicorn.log", "w"),  # noqa: SIM115
    )
    proxy = subprocess.Popen(
        [nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(GUNICORN_PORT)
        _wait_port(NGINX_PORT)
        _page_seconds(GUNICORN_PORT)  # warm every worker's imports
        print(machine_description(database=database_url.split(":", 1)[0]))
        print(f"load average before: {os.getloadavg()}")
        print(f"{count} slow connections held for {seconds:g} s; page {PAGE} timed every 0.5 s")
        print(
            f"{'attack':36} {'way in':15} {'pages':>5} {'failed':>6} {'median s':>9} {'max s':>7}"
        )
        for name, request in [("none", None), *ATTACKS.items()]:
            for label, port in (("gunicorn alone", GUNICORN_PORT), ("nginx in front", NGINX_PORT)):
                result = _scenario(port, request, count, seconds)
                print(
                    f"{name:36} {label:15} {result['pages']:5} {result['failed']:6} "
                    f"{result['median']:9.3f} {result['max']:7.3f}"
                )
        print(f"load average after: {os.getloadavg()}")
    finally:
        for process in (proxy, gunicorn):
            process.send_signal(signal.SIGTERM)
        for process in (proxy, gunicorn):
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

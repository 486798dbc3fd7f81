"""A second LRS instance: this platform in its own process, with its own database, that
can be stopped and started again on the same port."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TARGET_SECRET = "target-secret"
CREATE_CLIENT = f"""
from lms.xapi.models import LRSClient
client = LRSClient(name="Platform forwarding", scopes=["all"])
client.secret_set("{TARGET_SECRET}")
client.save()
print(client.key)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TargetLRS:
    def __init__(self, directory: Path) -> None:
        self.database = directory / "target.sqlite3"
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/xapi/"
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "DATABASE_URL": f"sqlite:///{self.database}",
        }
        self.key = ""

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def prepare(self) -> None:
        self.manage("migrate", "-v0")
        self.key = self.manage("shell", "-c", CREATE_CLIENT).strip().splitlines()[-1]

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the target LRS did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def statement_ids(self) -> list[str]:
        """Every statement id the target stores, duplicates included, read from its
        database."""
        with sqlite3.connect(self.database) as connection:
            rows = connection.execute("SELECT statement_id FROM xapi_statement").fetchall()
        return [str(row[0]).replace("-", "") for row in rows]


@pytest.fixture(scope="module")
def target_lrs(tmp_path_factory):
    target = TargetLRS(tmp_path_factory.mktemp("target-lrs"))
    target.prepare()
    target.start()
    yield target
    target.stop()

"""`workbench serve`: the browser view, on localhost unless told otherwise."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("textual_serve")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_localhost_with_the_workbench_page(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--port", str(port),
                               "--db", str(tmp_path / "case.db"), "--analyst", "ana"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode("utf-8", "replace")
            except OSError:
                time.sleep(0.3)
        assert "workbench" in page.lower()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serving_beyond_localhost_warns_that_there_is_no_authentication(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--host", "0.0.0.0", "--port", str(port),
                               "--db", str(tmp_path / "case.db")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        time.sleep(3)
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert "anyone who can reach it can read and change the case" in err

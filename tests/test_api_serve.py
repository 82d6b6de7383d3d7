"""`marsad serve`: the same app from the command line, on the port asked for."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_on_its_port(tmp_path):
    port = free_port()
    db = tmp_path / "served.db"
    env = {**os.environ, "MARSAD_DB": ""}
    command = [sys.executable, "-c", "from marsad.cli import app; app()", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "marsad serve did not answer"
                time.sleep(0.2)
        assert health.json() == {"status": "ok", "documents": 0, "records": 0}
        assert "app.js" in httpx.get(f"http://127.0.0.1:{port}/").text
        assert db.exists()
    finally:
        server.terminate()
        server.wait(timeout=10)

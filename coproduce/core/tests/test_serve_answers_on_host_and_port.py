"""`coproduce serve` is a real production server (gunicorn + whitenoise) honouring HOST and PORT."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_health_and_static_files(tmp_path):
    port = free_port()
    env = dict(os.environ, HOST="127.0.0.1", PORT=str(port), COPRODUCE_VAR_DIR=str(tmp_path),
               COPRODUCE_TESTING="0", WEB_CONCURRENCY="1", DATABASE_URL=f"sqlite:///{tmp_path}/serve.sqlite3")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = subprocess.Popen([sys.executable, "-m", "coproduce.cli", "serve"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, body = time.time() + 60, None
        while time.time() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = json.loads(response.read())
            except OSError:
                time.sleep(0.5)
        assert body == {"status": "ok", "database": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/core/site.css", timeout=5) as response:
            assert response.status == 200 and b"--accent" in response.read()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"http://127.0.0.1:{port}/" in output

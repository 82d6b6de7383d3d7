"""A throwaway PostgreSQL server for the store tests, from the server binaries installed here.

MARSAD_TEST_POSTGRES=postgresql+psycopg://user@host/{db} uses an existing server instead ({db} is
replaced by a fresh database name). Without either, the PostgreSQL tests skip, except under CI=true
where they fail: CI installs the server (scripts/install-postgres.sh), so a missing one is a fault.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def find_initdb() -> Path | None:
    """initdb on PATH, else the newest of Debian's /usr/lib/postgresql/<version>/bin."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve()
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0
    )
    return found[-1] if found else None


def _runner() -> list[str] | None:
    """How to run the server's commands: as `postgres` when we are root (the server refuses root), as
    ourselves otherwise; None when root has no `postgres` user to run them as."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    return ["runuser", "-u", "postgres", "--"]


@contextmanager
def postgres_server() -> Iterator[tuple[str | None, str]]:
    """Yields (SQLAlchemy URL template with a {db} slot, or None when no server can be had; why not)."""
    if os.environ.get("MARSAD_TEST_POSTGRES"):
        yield os.environ["MARSAD_TEST_POSTGRES"], ""
        return
    initdb, runner = find_initdb(), _runner()
    if initdb is None:
        yield None, "no PostgreSQL server binaries (initdb) here: run scripts/install-postgres.sh"
        return
    if runner is None:
        yield None, "running as root without a 'postgres' user to start the server as"
        return
    root = Path(tempfile.mkdtemp(prefix="marsad-pg-"))
    if runner:
        shutil.chown(root, "postgres")
    data, pg_ctl = root / "data", str(initdb.with_name("pg_ctl"))

    def run(*command: str) -> None:
        subprocess.run([*runner, *command], check=True, capture_output=True)

    run(str(initdb), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    run(pg_ctl, "-D", str(data), "-w", "-o", f"-k {root} -h '' -F", "-l", str(root / "log"), "start")
    try:
        yield f"postgresql+psycopg://postgres@/{{db}}?host={root}", ""
    finally:
        run(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """Create an empty database on the server; returns its URL."""
    from sqlalchemy import create_engine, text

    name = "marsad_" + uuid.uuid4().hex[:12]
    admin = create_engine(server_url.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.format(db=name)

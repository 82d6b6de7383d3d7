"""A throwaway PostgreSQL server for the store tests, when this machine has one installed.

MARSAD_TEST_POSTGRES=postgresql+psycopg://user@host/{db} uses an existing server instead ({db} is
replaced by a fresh database name). Without either, the PostgreSQL tests skip.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(*command: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)


@contextmanager
def postgres_server():
    """Yields a SQLAlchemy URL template with a {db} slot, or None when no server can be had."""
    if os.environ.get("MARSAD_TEST_POSTGRES"):
        yield os.environ["MARSAD_TEST_POSTGRES"]
        return
    initdb = shutil.which("initdb") or str(PG_BIN / "initdb")
    if not Path(initdb).exists() or os.geteuid() != 0 or not _has_user("postgres"):
        yield None
        return
    pg_ctl = str(Path(initdb).with_name("pg_ctl"))
    root = Path(tempfile.mkdtemp(prefix="marsad-pg-"))
    shutil.chown(root, "postgres")
    data, socket = root / "data", root
    _as_postgres(initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    _as_postgres(pg_ctl, "-D", str(data), "-w", "-o", f"-k {socket} -h '' -F", "-l", str(root / "log"), "start")
    try:
        yield f"postgresql+psycopg://postgres@/{{db}}?host={socket}"
    finally:
        _as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def fresh_database(server_url: str) -> str:
    """Create an empty database on the server; returns its URL."""
    from sqlalchemy import create_engine, text

    name = "marsad_" + uuid.uuid4().hex[:12]
    admin = create_engine(server_url.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.format(db=name)

"""Runs SQL against DATABASE_URL with psql, for the scripts beside this file.

psql (the PostgreSQL client) takes the postgresql://user:password@host:port/db
URL as it is, so the deploy jobs need no Python database driver.
"""

import os
import shutil
import subprocess
import sys


def database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "DATABASE_URL is not set: give the database as "
            "postgresql://user:password@host:port/database"
        )
    return url


def psql(sql, variables=None):
    """Runs sql (psql variables allowed, as :'name') and returns its output."""
    if shutil.which("psql") is None:
        sys.exit("psql is not installed: install the PostgreSQL client (Debian: postgresql-client)")
    command = [
        "psql",
        "--no-psqlrc",
        "--quiet",
        "--tuples-only",
        "--no-align",
        "--set",
        "ON_ERROR_STOP=1",
        "--dbname",
        database_url(),
    ]
    for name, value in (variables or {}).items():
        command += ["--set", f"{name}={value}"]
    env = dict(os.environ, PGCONNECT_TIMEOUT="10")
    result = subprocess.run(command, input=sql, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip() or f"psql exited with {result.returncode}")
    return result.stdout.strip()

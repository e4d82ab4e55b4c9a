"""The load test through a real streaming replica, on this machine, torn down at the end.

    .venv/bin/python bench/replica.py [--clients 100] [--seconds 30] [--pledges 20000]

The shared PostgreSQL server allows no replication connection (and its configuration is not
ours to change), so this starts its OWN primary (initdb, port 5434) and a streaming replica of it
(pg_basebackup -R, port 5433), both in a temporary directory, listening on 127.0.0.1 only and run
as the postgres user. It makes the load test's site on the primary (bench/load_site.py), waits
for the replica to replay it, serves the site with DATABASE_REPLICA_URLS naming the replica, runs
bench/load.py through it, and prints the figures and how many transactions each server ran.
Everything stops and is removed on the way out, whatever happens.
"""

import argparse
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from load import run_load
from load_site import prepare, served

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PRIMARY_PORT, REPLICA_PORT = 5434, 5433
DB = "aid_replica_bench"
STEP_SECONDS = 300  # no step may hang the machine


def as_postgres(*command, **kwargs) -> subprocess.CompletedProcess:
    """initdb refuses to run as root: every cluster command runs as the postgres user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *map(str, command)], check=True, timeout=STEP_SECONDS, **kwargs)


def settings(port: int, folder: Path) -> str:
    return "\n".join(
        [
            f"port = {port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{folder}'",
            "wal_level = replica",
            "max_wal_senders = 4",
            "fsync = off",  # a throw-away cluster: durability is not what is measured
            "shared_buffers = 64MB",
            "",
        ]
    )


def sql(port: int, query: str) -> str:
    result = subprocess.run(
        [BIN / "psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-Atc", query],
        check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return result.stdout.strip()


@contextmanager
def primary_and_replica():
    folder = Path(tempfile.mkdtemp(prefix="aid-replica-"))
    postgres = pwd.getpwnam("postgres")
    os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    primary, replica = folder / "primary", folder / "replica"
    started = []
    try:
        as_postgres(BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", stdout=subprocess.DEVNULL)
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(settings(PRIMARY_PORT, folder))
        as_postgres(
            BIN / "pg_ctl", "-D", primary, "-l", folder / "primary.log", "-w", "start", stdout=subprocess.DEVNULL
        )
        started.append(primary)
        as_postgres(
            BIN / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            PRIMARY_PORT,
            "-U",
            "postgres",
            "-D",
            replica,
            "-R",
            "-X",
            "stream",
        )  # noqa: E501
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(settings(REPLICA_PORT, folder))
        as_postgres(
            BIN / "pg_ctl", "-D", replica, "-l", folder / "replica.log", "-w", "start", stdout=subprocess.DEVNULL
        )
        started.append(replica)
        yield
    finally:
        for cluster in reversed(started):
            as_postgres(BIN / "pg_ctl", "-D", cluster, "-m", "fast", "-w", "stop", stdout=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


def wait_for_replay(timeout: float = STEP_SECONDS) -> None:
    target = sql(PRIMARY_PORT, "SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while sql(REPLICA_PORT, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") != "t":
        if time.monotonic() > deadline:
            raise SystemExit("the replica did not catch up")
        time.sleep(0.5)


def transactions(port: int) -> int:
    return int(sql(port, f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{DB}'") or 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--pledges", type=int, default=20_000)
    parser.add_argument("--port", type=int, default=8632)
    args = parser.parse_args()
    primary_url = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DB}"
    replica_url = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DB}"
    with primary_and_replica():
        prepare(primary_url, args.pledges)
        wait_for_replay()
        before = transactions(PRIMARY_PORT), transactions(REPLICA_PORT)
        with served(primary_url, args.port, env={"DATABASE_REPLICA_URLS": replica_url}) as server:
            run_load(server.base, clients=args.clients, seconds=args.seconds)
        on_primary, on_replica = transactions(PRIMARY_PORT) - before[0], transactions(REPLICA_PORT) - before[1]
        print(f"replica: transactions during the load: primary {on_primary:,}, replica {on_replica:,}", flush=True)


if __name__ == "__main__":
    main()

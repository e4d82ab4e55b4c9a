"""A command run as a user runs it, in its own process: its seconds and its own peak memory."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_child(command: list[str], cwd) -> tuple[float, float, list[str]]:
    """Seconds from the command's start to its exit, its own peak RSS in MiB (RUSAGE_CHILDREN
    would be the largest child waited for so far), and its standard error's lines; a failure
    stops the bench (a failing workload is no figure)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        errors.seek(0)
        lines = errors.read().decode().splitlines()
    if status:
        raise SystemExit(f"{command[2:4]} failed: " + "; ".join(lines[-5:]))
    return seconds, usage.ru_maxrss / 1024, lines


def timed_manage(*arguments: str) -> tuple[float, float, list[str]]:
    """`manage.py ARGUMENTS` of this checkout, timed as timed_child times a command."""
    return timed_child([sys.executable, str(ROOT / "manage.py"), *arguments], ROOT)

"""Child processes of the development tools and the bench (servers, Redis): stopped one way."""

from __future__ import annotations

import subprocess


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate ``proc``, kill it if it has not exited within ``timeout`` seconds, and close
    its stdout pipe, so no server outlives the run that started it."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()

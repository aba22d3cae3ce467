"""``kam serve`` in a process of its own, for the tests that talk to it over HTTP."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import httpx
import pytest


def free_port() -> int:
    """A TCP port of this machine nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    command: list[str], port: int, env: Mapping[str, str] | None = None, seconds: float = 30
) -> Iterator[str]:
    """Run ``command`` (a ``kam serve`` on ``port``) until the block ends; its base address
    once ``/health`` answers. The test fails if it ends or does not answer in time."""
    process = subprocess.Popen(
        command,
        env=None if env is None else dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"kam serve ended at once: {error}")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"kam serve did not answer within {seconds:.0f} s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

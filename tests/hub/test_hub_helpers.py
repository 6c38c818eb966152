"""The hub test's own process check can fail: a process left by a tree is found (issue 17)."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import hub_helpers as hh


def test_tree_watch_finds_an_orphan_left_behind():
    # a parent that starts a child in the background and is then killed alone
    parent = subprocess.Popen(["sh", "-c", "sleep 60 & wait"], start_new_session=True)
    watch = hh.TreeWatch(parent.pid, interval=0.05)
    try:
        deadline = time.monotonic() + 10
        while len(watch.seen) < 2 and time.monotonic() < deadline:
            watch.sample()
            time.sleep(0.05)
        assert len(watch.seen) == 2 and watch.peak_rss > 0
        child = next(pid for pid in watch.seen if pid != parent.pid)
        parent.kill()
        parent.wait(5)
        time.sleep(0.2)
        assert watch.alive() == [child]  # the parent is gone, its child is not
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while watch.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert watch.alive() == []

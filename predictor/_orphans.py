"""Worker processes end when the process that started them does, even when it is killed (SIGKILL).

Otherwise a killed ``govspeech label -j N`` leaves its workers alive for
ever, holding the output pipe open. On Linux the kernel is asked to kill the
worker with its parent (``prctl(PR_SET_PDEATHSIG)``); everywhere, a thread
watches the parent's pid and ends the worker when it changes (the worker was
re-parented: its parent is gone).
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time

__all__ = ["PARENT_POLL_SECONDS", "die_with_parent"]

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# How often the portable watch looks at the parent: how long a worker may outlive a killed parent there.
PARENT_POLL_SECONDS = 0.5


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)  # nothing of a worker is worth keeping once no one reads its results


def die_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` (the pid that started it) ends."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the watch thread alone
        pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="govspeech-parent-watch").start()

"""The machine line every benchmark prints, so figures can be compared across runs."""

import os
import platform
from pathlib import Path


def machine_description(database: str = "") -> str:
    """CPUs, CPU model, Python and OS, and the database when the benchmark uses one."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    text = (
        f"nproc={len(os.sched_getaffinity(0))} cpu={cpu} "
        f"python={platform.python_version()} os={platform.system()} {platform.release()}"
    )
    return f"{text} database={database}" if database else text

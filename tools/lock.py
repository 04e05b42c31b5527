"""The locked versions: write them from this environment, or say how this environment differs from them.

    python tools/lock.py write    # after a green run of the test command: constraints-py<X.Y>.txt from what is installed
    python tools/lock.py check    # which installed packages differ from the lock (the drift a newest-versions run sees)

The lock is a pip constraints file (`pip install -c constraints-py3.11.txt -e ".[dev]"`): every distribution installed
in the test environment, pinned to its version, the project itself and pip left out. torch is pinned without its local
label (`2.13.0`, not `2.13.0+cpu`), so that the CPU wheel and the PyPI wheel both satisfy it.
"""
import re
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = {"kd-privileged", "pip"}  # the project itself, and the installer (upgraded on its own)


def canonical(name: str) -> str:
    "A distribution's name as pip compares them (PEP 503): lower case, runs of `-`, `_`, `.` as one `-`."
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_path(version=sys.version_info) -> Path:
    "The lock of this Python (`constraints-py3.11.txt` on 3.11)."
    return ROOT / f"constraints-py{version[0]}.{version[1]}.txt"


def installed() -> dict:
    "{canonical name: version} of every distribution in this environment, the project and pip left out."
    found = {canonical(d.metadata["Name"]): d.version.split("+")[0] for d in metadata.distributions()}
    return {name: version for name, version in sorted(found.items()) if name not in LEFT_OUT}


def read_lock(path: Path) -> dict:
    "{canonical name: version} of a constraints file."
    pins = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return dict((canonical(name), version) for name, version in (pin.split("==") for pin in pins if pin))


def write(path: Path) -> None:
    versions = installed()
    header = [f"# The versions of the last green run of the README's test command, on Python {sys.version.split()[0]}",
              f"# ({time.strftime('%Y-%m-%d')}, written by `python tools/lock.py write`). Install them with",
              '#   pip install torch==2.13.0 && pip install -c ' + path.name + ' -e ".[dev]"',
              "# setup.py keeps the ranges a library user needs; `python tools/lock.py check` lists what differs from this file."]
    path.write_text("\n".join([*header, *(f"{name}=={version}" for name, version in versions.items())]) + "\n")
    print(f"wrote {path.name}: {len(versions)} distributions")


def check(path: Path) -> None:
    if not path.exists():
        print(f"no lock for Python {sys.version_info[0]}.{sys.version_info[1]} ({path.name}): nothing to compare")
        return
    lock, now = read_lock(path), installed()
    changed = [f"{name} {lock[name]} -> {now[name]}" for name in lock if name in now and now[name] != lock[name]]
    new = [f"{name} {now[name]} (not in the lock)" for name in now if name not in lock]
    gone = [f"{name} {lock[name]} (not installed)" for name in lock if name not in now]
    if not (changed or new or gone):
        print(f"installed versions: exactly {path.name}")
        return
    print(f"installed versions differ from {path.name} in {len(changed) + len(new) + len(gone)} distributions:")
    for line in changed + new + gone: print(f"  {line}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in ("write", "check"): sys.exit(__doc__)
    (write if command == "write" else check)(lock_path())

"""Run the official ``revox`` SDK's own generated tests against ``MockRevoxServer``.

    python tests/official/run.py            # the sdist of the revox version installed
    python tests/official/run.py --latest   # the newest revox on the index (must be installed)
    python tests/official/run.py -k voices -x  # any other argument goes to pytest

It downloads the sdist from the package index into a temporary directory
(nothing of it is kept or copied into this repository), and runs its
``tests/api_resources`` there with ``official_harness`` as a pytest plugin
(see its docstring). The tests need ``revox[aiohttp]`` of that same version,
``pytest`` and ``pytest-asyncio`` installed (``nox -s official`` does it).
The exit status is pytest's.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOWNLOAD_TIMEOUT = 300
"""Seconds for pip to fetch the sdist (it builds its metadata, which fetches hatchling)."""
SUITE_TIMEOUT = 600


def download(requirement: str, into: Path) -> Path:
    """The sdist of ``requirement`` from the index, extracted under ``into``: its root folder."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    command += ["--no-binary", ":all:", "--dest", str(into), requirement]
    subprocess.run(command, check=True, timeout=DOWNLOAD_TIMEOUT)
    (archive,) = into.glob("revox-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / archive.name.removesuffix(".tar.gz")


def main(argv: list[str]) -> int:
    latest = "--latest" in argv
    pytest_args = [arg for arg in argv if arg != "--latest"]
    if pytest_args[:1] == ["--"]:
        pytest_args = pytest_args[1:]
    installed = importlib.metadata.version("revox")
    requirement = "revox" if latest else f"revox=={installed}"
    with tempfile.TemporaryDirectory(prefix="revox-official-") as scratch:
        root = download(requirement, Path(scratch))
        version = root.name.removeprefix("revox-")
        if version != installed:
            print(
                f"the sdist is revox {version} but revox {installed} is installed: "
                f"install revox[aiohttp]=={version} to run its tests",
                file=sys.stderr,
            )
            return 2
        print(f"revox {version}: {root / 'tests' / 'api_resources'}", flush=True)
        path = [str(HERE), str(root), *filter(None, [os.environ.get("PYTHONPATH")])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
        command = [sys.executable, "-m", "pytest", "-p", "official_harness"]
        command += ["-p", "no:cacheprovider", "-o", "addopts=", "--rootdir", str(root)]
        command += ["tests/api_resources", *pytest_args]
        return subprocess.run(
            command, check=False, cwd=root, env=env, timeout=SUITE_TIMEOUT
        ).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

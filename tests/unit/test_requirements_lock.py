"""requirements.lock pins every package pyproject.toml asks for, with hashes, and the virtual
environment was installed from it.

The lock is stale when someone adds a dependency or narrows a range in pyproject.toml and forgets
`make lock`: these tests then name the requirement the lock no longer satisfies. The walk goes
from pyproject.toml's own requirements (runtime, the `test` extra, the build backend) through the
installed packages' metadata, so a dependency of a dependency missing from the lock fails too.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$")


def _pins() -> dict[str, list[tuple[Version, Marker | None, int]]]:
    """name -> [(version, marker, number of hashes)] as the lock writes them (a universal lock
    may pin one package twice, for different Python versions or platforms)."""
    pins: dict[str, list[tuple[Version, Marker | None, int]]] = {}
    current = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            marker = Marker(match["marker"]) if match["marker"] else None
            current = [Version(match["version"]), marker, 0]
            pins.setdefault(canonicalize_name(match["name"]), []).append(current)
        elif current is not None and line.strip().startswith("--hash=sha256:"):
            current[2] += 1
    return {name: [tuple(p) for p in entries] for name, entries in pins.items()}


PINS = _pins()


def _pin_here(name: str) -> Version | None:
    """The version the lock installs on this machine (its marker holds here), or None."""
    for version, marker, _hashes in PINS.get(canonicalize_name(name), []):
        if marker is None or marker.evaluate():
            return version
    return None


def _applies(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": e}) for e in extras or {""})


def _project_requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    texts = [*project["dependencies"], *project["optional-dependencies"]["test"], *PYPROJECT["build-system"]["requires"]]
    return [Requirement(t) for t in texts]


def test_every_pin_in_the_lock_has_hashes():
    assert PINS, "requirements.lock pins nothing"
    assert [name for name, entries in PINS.items() if any(h == 0 for *_, h in entries)] == []


def test_every_requirement_of_pyproject_is_pinned_within_its_range():
    unsatisfied = []
    for requirement in _project_requirements():
        pinned = _pin_here(requirement.name)
        if pinned is None or pinned not in requirement.specifier:
            unsatisfied.append(f"{requirement} (lock: {pinned or 'missing'})")
    assert unsatisfied == [], "requirements.lock is stale: run `make lock`"


def test_the_lock_closes_over_every_dependency_and_is_what_is_installed():
    """From pyproject.toml's requirements through each installed package's own requirements:
    every package reached is pinned, its pin satisfies who asked for it, and the installed version
    is the pinned one (the Makefile installs from the lock)."""
    problems: list[str] = []
    seen: dict[str, set[str]] = {}
    todo = [(r, "pyproject.toml") for r in _project_requirements()]
    while todo:
        requirement, asker = todo.pop()
        name = canonicalize_name(requirement.name)
        pinned = _pin_here(name)
        if pinned is None:
            problems.append(f"{requirement} (asked by {asker}) is not in requirements.lock")
            continue
        if pinned not in requirement.specifier:
            problems.append(f"{requirement} (asked by {asker}): the lock pins {pinned}")
        extras = set(requirement.extras)
        if name in seen and extras <= seen[name]:
            continue
        seen.setdefault(name, set()).update(extras)
        try:
            installed = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name}=={pinned} is locked but not installed: run `make test` to reinstall")
            continue
        if Version(installed.version) != pinned:
            problems.append(f"{name} {installed.version} is installed, the lock pins {pinned}")
        for text in installed.requires or []:
            child = Requirement(text)
            if _applies(child, extras):
                todo.append((child, f"{name} {installed.version}"))
    assert problems == []

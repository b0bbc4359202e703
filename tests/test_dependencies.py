"""Dependencies (issue 20): every floor in pyproject.toml lies past the known advisories, and CI
installs exact versions from constraints.txt, each at or above its floor."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent

ADVISORY_FLOORS = {
    # CVE-2024-27454: a crash on deeply nested JSON; request bodies reach orjson.
    "orjson": "3.9.15",
    # CVE-2025-43859: request smuggling in h11, uvicorn's pure-Python HTTP parser.
    "h11": "0.16",
    # CVE-2020-7694 and CVE-2020-7695: log and header injection before 0.11.7.
    "uvicorn": "0.11.7",
    # CVE-2019-7164 and CVE-2019-7548: SQL injection through order_by/group_by before 1.3.0.
    "sqlalchemy": "1.3.0",
}
"""The lowest version each dependency may have: past its last known advisory."""


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(text) for text in listed]


def floor(requirement: Requirement) -> Version | None:
    lows = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==")]
    return max(lows) if lows else None


def pins() -> dict[str, Version]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            found[canonicalize_name(name)] = Version(version.strip())
    return found


def test_every_dependency_has_a_floor_past_its_advisories() -> None:
    floors = {canonicalize_name(r.name): floor(r) for r in requirements()}
    assert [name for name, low in floors.items() if low is None] == []
    for name, safe in ADVISORY_FLOORS.items():
        assert name in floors, f"{name} is no longer a dependency; drop it from ADVISORY_FLOORS"
        low = floors[name]
        assert low is not None and low >= Version(safe), f"{name}>={low} admits advisories"


def test_constraints_pin_every_dependency_at_or_above_its_floor() -> None:
    pinned = pins()
    for requirement in requirements():
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in constraints.txt; run .ci/refresh-constraints"
        assert requirement.specifier.contains(pinned[name]), (name, str(pinned[name]))
        safe = ADVISORY_FLOORS.get(name)
        assert safe is None or pinned[name] >= Version(safe), name


def test_ci_installs_from_the_constraints() -> None:
    assert "pip install --quiet -c constraints.txt '.[test]'" in (ROOT / ".ci" / "run").read_text()
    assert (ROOT / ".ci" / "refresh-constraints").stat().st_mode & 0o111

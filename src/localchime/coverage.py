"""Which model operations localchime implements: the honest list `localchime coverage` prints,
read from the same registry that serves requests."""

from __future__ import annotations

from localchime.registry import load, not_yet
from localchime.spec.model import operation_names


def coverage_report() -> dict[str, list[str]]:
    implemented = set(load().operations)
    names = sorted(operation_names())
    return {
        "implemented": [n for n in names if n in implemented],
        "not_implemented": [n for n in names if n not in implemented],
    }


def coverage_text() -> str:
    report = coverage_report()
    done, todo = report["implemented"], report["not_implemented"]
    reasons = not_yet()
    total = len(done) + len(todo)
    lines = [f"chime-sdk-voice: {len(done)} of {total} operations implemented", ""]
    lines += [f"  [x] {name}" for name in done]
    lines += [
        f"  [ ] {name}  (answers 501 NotImplemented): {reasons.get(name, 'no reason recorded')}"
        for name in todo
    ]
    return "\n".join(lines)

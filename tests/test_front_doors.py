"""No family imports another family's internal module: what a family lets others use is in its
`public.py`, its front door (docs/architecture.md). Every import statement counts: at module
level, inside functions and under TYPE_CHECKING alike."""

from __future__ import annotations

import ast
from pathlib import Path

FAMILIES = Path(__file__).resolve().parent.parent / "src" / "localchime" / "families"
PACKAGE = "localchime.families"

def imported_modules(source: str, module: str) -> set[str]:
    """Every module below `localchime.families` that `source` (the text of `module`) imports,
    relative imports resolved; `from a import b` names `a.b`, since `b` may be a module."""
    package = module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith(f"{PACKAGE}.")}


def trespasses(source: str, module: str) -> set[str]:
    """The other families' modules, below `localchime.families`, that `module` reaches past
    their front door: anything but `<family>.public` (and names imported from it)."""
    family = module.split(".")[2]
    found = set()
    for name in imported_modules(source, module):
        parts = name.split(".")[2:]
        if parts[0] == family or parts[1:2] == ["public"]:
            continue
        found.add(".".join(parts))
    return found


def trespasses_by_file() -> set[tuple[str, str]]:
    found = set()
    for path in FAMILIES.rglob("*.py"):
        relative = path.relative_to(FAMILIES)
        module = ".".join([PACKAGE, *relative.with_suffix("").parts])
        for target in trespasses(path.read_text(), module):
            # `from x.repository import Record` names x.repository.Record: report the module.
            found.add((relative.as_posix(), _module_of(target)))
    return found


def _module_of(target: str) -> str:
    parts = target.split(".")
    while parts and not (
        FAMILIES.joinpath(*parts).with_suffix(".py").exists() or FAMILIES.joinpath(*parts).is_dir()
    ):
        parts.pop()
    return ".".join(parts)


def test_no_family_imports_another_familys_internal_module() -> None:
    unexpected = sorted(trespasses_by_file())
    assert unexpected == [], "import these through the family's public.py instead"


def test_every_family_imported_by_another_has_a_front_door() -> None:
    for path in FAMILIES.rglob("*.py"):
        module = ".".join([PACKAGE, *path.relative_to(FAMILIES).with_suffix("").parts])
        for name in imported_modules(path.read_text(), module):
            parts = name.split(".")[2:]
            if parts[1:2] == ["public"]:
                assert (FAMILIES / parts[0] / "public.py").exists(), name


def test_an_internal_import_is_caught_in_a_function_and_under_type_checking() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from localchime.families.orders.repository import OrderRecord\n"
        "def f() -> None:\n"
        "    import localchime.families.voice_connectors.tables\n"
        "    from localchime.families.phone_numbers import repository\n"
        "    from localchime.families.phone_numbers import public\n"
        "    from localchime.families.phone_numbers.public import owned_number\n"
        "    from localchime.families.porting import service\n"
        "    from . import lifecycle\n"
    )
    assert trespasses(source, "localchime.families.porting.control") == {
        "orders.repository.OrderRecord",
        "voice_connectors.tables",
        "phone_numbers.repository",
    }


def test_a_relative_import_into_another_family_is_caught() -> None:
    source = "from ..orders.handlers import order_view\n"
    assert trespasses(source, "localchime.families.porting.control") == {
        "orders.handlers.order_view"
    }

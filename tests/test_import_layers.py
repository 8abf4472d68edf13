"""The apps are layers, and no package's modules import each other in a circle.

The contracts are import-linter's, in pyproject.toml: tickets above sla above accounts above
the project's plumbing (helpdesk), counting imports inside functions too. Each is run on the
project as it is, and on a copy with one bad import added, to show that it would catch it.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["helpdesk", "accounts", "sla", "tickets", "api"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    # The copy's packages must win over the project's own editable install.
    finder = (
        f"import sys; sys.path.insert(0, {str(root)!r}); "
        "from importlinter.cli import lint_imports_command; lint_imports_command()"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", finder, "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy_of_the_project(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text() + "\n" + line + "\n")


def test_the_project_keeps_its_layers_and_has_no_import_circles():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_upward_import_hidden_in_a_function_breaks_the_layers(copy_of_the_project):
    add_line(
        copy_of_the_project / "accounts" / "services.py",
        "def _peek():\n    from tickets.models import Ticket\n\n    return Ticket",
    )

    result = lint_imports(copy_of_the_project)

    assert result.returncode != 0
    assert "accounts.services -> tickets.models" in result.stdout


def test_the_plumbing_importing_an_app_breaks_the_layers(copy_of_the_project):
    add_line(copy_of_the_project / "helpdesk" / "periodic.py", "import sla.models  # noqa")

    result = lint_imports(copy_of_the_project)

    assert result.returncode != 0
    assert "helpdesk.periodic -> sla.models" in result.stdout


def test_two_modules_importing_each_other_break_the_no_circles_contract(copy_of_the_project):
    add_line(copy_of_the_project / "tickets" / "status.py", "import tickets.timing  # noqa")

    result = lint_imports(copy_of_the_project)

    assert result.returncode != 0
    assert "No import circles between the modules of any package BROKEN" in result.stdout

"""A production configuration passes Django's deployment checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "helpdesk.example.com",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "EMAIL_HOST": "smtp.example.com",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def readme_production_example() -> dict[str, str]:
    """The variables README's "Running in production" example exports."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"^export (\w+)=(?:'([^']*)'|(\S*))", section, re.MULTILINE)
    assert found, "README's production example exports no variables"
    return {name: quoted or plain for name, quoted, plain in found}


def run_check(env_overrides):
    env = {**os.environ, **env_overrides}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_check(PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_production_set_up_without_a_mail_server_is_flagged():
    result = run_check({**PRODUCTION, "EMAIL_HOST": ""})

    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_a_malformed_variable_stops_start_up_with_its_name():
    result = run_check({**PRODUCTION, "SECURE_SSL_REDIRECT": "sometimes"})

    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT='sometimes' is not a boolean" in result.stderr


def test_a_production_set_up_whose_processes_keep_their_own_cache_is_flagged():
    result = run_check({**PRODUCTION, "CACHE_URL": ""})

    assert result.returncode != 0
    assert "helpdesk.W001" in result.stderr
    assert "CACHE_URL" in result.stderr


def test_the_production_example_in_the_readme_passes_the_deploy_check():
    result = run_check(readme_production_example())

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout

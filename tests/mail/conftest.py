"""The mail tests use the real servers of tests/conftest.py (tests/mailservers.py)."""

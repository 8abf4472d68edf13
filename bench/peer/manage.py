#!/usr/bin/env python
"""django-helpdesk 2.6.1's project for the benchmark; run it with var/peer-venv/bin/python."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

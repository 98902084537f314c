"""`python -m dashboard.ingest`: the command line."""

import sys

from dashboard.ingest.cli import main

sys.exit(main())

"""`python -m salesops_helpers.cli`: the salesops command without the console script (as before the package split)."""

import sys

from salesops_helpers.cli.main import main

sys.exit(main())

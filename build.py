"""Build the careers site: `python build.py [command]` is `openings [command]`."""

import sys

from openings.cli import main

if __name__ == "__main__":
    sys.exit(main())

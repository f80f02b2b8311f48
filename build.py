"""Build the careers site: `python build.py [command]` is `openings [command]`."""

from openings.cli import entry

if __name__ == "__main__":
    entry()

"""``python -m labsim``: the command line."""

from labsim.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

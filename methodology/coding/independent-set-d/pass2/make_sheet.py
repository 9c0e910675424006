#!/usr/bin/env python3
"""Write this set's shuffled texts-only sheets for the second coder; --key DIR also writes the key (blind_sets.make_sheet). Usage: methodology/coding/blind_sets.py."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # methodology/coding: the shared blind_sets.py
import blind_sets  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.exit(blind_sets.make_sheet(here, 20261207, sys.argv))

#!/usr/bin/env python3
"""Build this set's answers.tsv from src/LANG.txt and check every label (blind_sets.build_answers). Usage: methodology/coding/blind_sets.py."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # methodology/coding: the shared blind_sets.py
import blind_sets  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.exit(blind_sets.build_answers(here, 'indf', coverage_forced=False))

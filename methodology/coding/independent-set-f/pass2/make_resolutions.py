#!/usr/bin/env python3
"""Expand pass2/adjudication.txt into pass2/resolutions-LANG.tsv (blind_sets.make_resolutions). Usage: methodology/coding/blind_sets.py."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # methodology/coding: the shared blind_sets.py
import blind_sets  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.exit(blind_sets.make_resolutions(here, 'indf'))

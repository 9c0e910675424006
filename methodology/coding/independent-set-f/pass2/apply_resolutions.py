#!/usr/bin/env python3
"""Apply pass2/resolutions-LANG.tsv to src/LANG.txt so that the source holds the final (adjudicated) labels,
rebuild answers.tsv with build_answers.py, and print the agreement of the final labels with pass 2.

Only rows whose final value differs from pass 1 change the source. The script checks that the source line still
holds the pass-1 value (or already the final value, so running it twice changes nothing) and stops otherwise.
Answer n of a language is the n-th non-comment, non-blank line of src/LANG.txt (as in build_answers.py).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # methodology/coding: the shared blind_sets.py
import blind_sets  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.exit(blind_sets.apply_resolutions(here))

#!/usr/bin/env python3
"""Expand the adjudicator's decisions (pass2/adjudication.txt) into pass2/resolutions-LANG.tsv.

Reads pass2/disagreements-LANG.tsv (written by compare.py --write from the pass-1 labels, before adjudication).
Adjudicable fields of a row: isco (when the major, sub-major or unit group differs), goals (when the primary goal
differs) and direction. Each of them must have exactly one decision line; the script stops otherwise.

resolutions-LANG.tsv columns: id, field, pass1, pass2, final, decision (pass1 / pass2 / third / ambiguous), rule.
For goals, the values are whole goal lists (primary first); the final list is the list of the chosen pass.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # methodology/coding: the shared blind_sets.py
import blind_sets  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.exit(blind_sets.make_resolutions(here, 'indf'))

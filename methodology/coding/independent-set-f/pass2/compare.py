#!/usr/bin/env python3
"""Compare the second coder's labels (pass 2) with the labels in answers.tsv (pass 1, or the final labels after
adjudication), joined through pass2/key/key-LANG.tsv (sheet row n -> id, written by make_sheet.py --key pass2/key).

  python3 pass2/compare.py            print the agreement table (per language and overall) with Cohen's kappa
  python3 pass2/compare.py --write    also write pass2/disagreements-LANG.tsv: every row where the unit group,
                                      the goal list (set or order) or the direction differs. Run it on the
                                      pass-1 labels only (before apply_resolutions.py); it refuses once
                                      resolutions-LANG.tsv exist, unless --force is given.

Agreement fields: unit group (4 digits), sub-major group (2), major group (1), primary goal, same goal set
(order ignored), direction. Kappa is Cohen's kappa of the major group.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # methodology/coding: the shared blind_sets.py
import blind_sets  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.exit(blind_sets.compare(here, sys.argv))

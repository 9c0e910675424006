#!/usr/bin/env python3
"""Write pass2/sheet-LANG.tsv: the texts of set F only, shuffled with a fixed seed and numbered.

No labels and no ids go into the sheets, so that a second, independent coder can label them blind.
Reads ../answers.tsv (run build_answers.py first). Columns: n, text, and empty isco, goals, direction
columns for the second coder to fill in.

  python3 pass2/make_sheet.py              write the three sheets
  python3 pass2/make_sheet.py --key DIR    also write DIR/key-LANG.tsv (n -> id) for comparing the second
                                           coder's labels with answers.tsv afterwards; keep DIR away from
                                           the second coder (the key is not committed)
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # methodology/coding: the shared blind_sets.py
import blind_sets  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.exit(blind_sets.make_sheet(here, 20261209, sys.argv))

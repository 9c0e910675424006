#!/usr/bin/env python3
"""Build answers.tsv of evaluation set F from src/{en,ru,kk}.txt and check every label.

Source line format (one answer per line):  isco | goals | direction | text
  isco      4-digit ISCO-08 unit group (never major group 0, never sub-major group 63)
  goals     1-3 distinct SDG goals 1-17, primary first, separated by ';' or ','
  direction one of the codes in methodology/taxonomies/cavf-directions.csv
Lines starting with '#' and blank lines are ignored. A comment line '# fam: NAME' starts a task family (the
assumed survey mix of README.md); the families are counted, not written to answers.tsv.

Writes answers.tsv (tab-separated, UTF-8, no quoting) with the header
  id language isco_code sdg_goals sdg_primary direction group text
and prints coverage tables and the task-family counts. Exits with status 1 when any check fails.
Coverage gaps are printed as notes, not errors: set F follows a survey mix and is not coverage-forced.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # methodology/coding: the shared blind_sets.py
import blind_sets  # noqa: E402

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.exit(blind_sets.build_answers(here, 'indf', coverage_forced=False))

#!/usr/bin/env python3
"""Pass 2, step 1: write a shuffled texts-only sheet of one language (no ids, no labels).

Usage: make_sheet.py LANG. Reads ../answers.tsv (run build_answers.py first). The first call writes sheet-LANG.tsv
with every answer of LANG; later calls write sheet-LANG-r2.tsv, -r3, ... with only the answers that are on no earlier
sheet (answers added after the first pass 2). The labeller fills labels-LANG[-rN].txt from the sheet alone, without
opening the pass-1 source; compare.py joins the labels to pass 1 through the text.
"""
import csv, pathlib, random, sys

HERE = pathlib.Path(__file__).resolve().parent
lang = sys.argv[1]
with open(HERE.parent / "answers.tsv", encoding="utf-8") as f:
    rows = [r for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if r["language"] == lang]
sheets = sorted(HERE.glob(f"sheet-{lang}*.tsv"))
seen = set()
for s in sheets:
    with open(s, encoding="utf-8") as f:
        seen |= {r["text"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
rows = [r for r in rows if r["text"] not in seen]
suffix = "" if not sheets else f"-r{len(sheets) + 1}"
random.Random(f"set-c-pass2-{lang}{suffix}").shuffle(rows)
with open(HERE / f"sheet-{lang}{suffix}.tsv", "w", encoding="utf-8") as s:
    s.write("sheet_id\ttext\n")
    for i, r in enumerate(rows, 1):
        s.write(f"s-{lang}{suffix}-{i:03d}\t{r['text']}\n")
print(f"sheet-{lang}{suffix}.tsv: {len(rows)} texts")

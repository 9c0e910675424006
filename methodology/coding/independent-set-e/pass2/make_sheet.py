#!/usr/bin/env python3
"""Write pass2/sheet-LANG.tsv: the texts of set E only, shuffled with a fixed seed and numbered.

No labels and no ids go into the sheets, so that a second, independent coder can label them blind.
Reads ../answers.tsv (run build_answers.py first). Columns: n, text, and empty isco, goals, direction
columns for the second coder to fill in.

  python3 pass2/make_sheet.py              write the three sheets
  python3 pass2/make_sheet.py --key DIR    also write DIR/key-LANG.tsv (n -> id) for comparing the second
                                           coder's labels with answers.tsv afterwards; keep DIR away from
                                           the second coder (the key is not committed)
"""
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261208


def main():
    lines = (HERE.parent / "answers.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    ti, li = header.index("text"), header.index("language")
    ii = header.index("id")
    key_dir = Path(sys.argv[sys.argv.index("--key") + 1]) if "--key" in sys.argv else None
    texts = {}
    for line in lines[1:]:
        f = line.split("\t")
        texts.setdefault(f[li], []).append((f[ii], f[ti]))
    for lang, items in sorted(texts.items()):
        rng = random.Random(f"{SEED}-{lang}")
        items = items[:]
        rng.shuffle(items)
        with open(HERE / f"sheet-{lang}.tsv", "w", encoding="utf-8", newline="") as out:
            out.write("n\ttext\tisco\tgoals\tdirection\n")
            for i, (_, t) in enumerate(items, 1):
                out.write(f"{i}\t{t}\t\t\t\n")
        print(f"sheet-{lang}.tsv: {len(items)} texts")
        if key_dir:
            key_dir.mkdir(parents=True, exist_ok=True)
            with open(key_dir / f"key-{lang}.tsv", "w", encoding="utf-8", newline="") as out:
                out.write("n\tid\n")
                for i, (id_, _) in enumerate(items, 1):
                    out.write(f"{i}\t{id_}\n")


if __name__ == "__main__":
    main()

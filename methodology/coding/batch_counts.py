#!/usr/bin/env python3
"""Counts of a set of training-situation batches, printed as Markdown tables (issue #17).

Run from the repository root:  python3 methodology/coding/batch_counts.py methodology/coding/situations/batch-2[012].tsv
Prints: situations and distinct unit groups; situations by ISCO major group and by primary goal; by Forum direction;
text length per language (words: short 2-5, medium 6-10, long 11+); Kazakh texts with a compound verb (converb in
-п/-ып/-іп followed by an auxiliary such as бер-, отыр-, жүр-, шық-, таста-, қой-). Reads only the files it is given.
"""
import collections
import re
import sys

AUX = r"(бер|отыр|жүр|кел|шық|таста|қой|жібер|ал|кет|тұр|қал|апар|әкел)"
COMPOUND = re.compile(r"\w+(п|ып|іп)\s+" + AUX + r"\w*", re.IGNORECASE)
MAJOR = {"1": "Managers", "2": "Professionals", "3": "Technicians, associates", "4": "Clerical support",
         "5": "Service and sales", "6": "Agricultural, forestry, fishery", "7": "Craft and related trades",
         "8": "Plant and machine operators", "9": "Elementary occupations"}


def rows(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for line in lines[1:]:
            if line:
                yield line.split("\t")


def table(title, counter, total, names=None):
    print(f"| {title} | situations | share |\n|---|---:|---:|")
    for key in sorted(counter, key=lambda k: int(k)):
        label = f"{key} {names[key]}" if names else key
        print(f"| {label} | {counter[key]} | {100 * counter[key] / total:.0f} % |")
    print()


def main(paths):
    data = list(rows(paths))
    total = len(data)
    print(f"{total} situations ({3 * total} texts), {len({r[0] for r in data})} distinct unit groups\n")
    table("ISCO major group", collections.Counter(r[0][0] for r in data), total, MAJOR)
    table("primary goal", collections.Counter(r[1].split(";")[0] for r in data), total)
    print("| direction | situations |\n|---|---:|")
    for key, n in sorted(collections.Counter(r[2] for r in data).items()):
        print(f"| {key} | {n} |")
    print("\n| language | short (2-5 words) | medium (6-10) | long (11+) |\n|---|---:|---:|---:|")
    for column, language in ((3, "en"), (4, "ru"), (5, "kk")):
        words = [len(r[column].split()) for r in data]
        print(f"| {language} | {sum(w <= 5 for w in words)} | {sum(6 <= w <= 10 for w in words)} | {sum(w > 10 for w in words)} |")
    compound = sum(1 for r in data if COMPOUND.search(r[5]))
    print(f"\nKazakh texts with a compound verb: {compound} of {total} ({100 * compound / total:.0f} %)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: batch_counts.py BATCH.tsv ...")
    main(sys.argv[1:])

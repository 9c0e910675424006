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
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ["en", "ru", "kk"]
FIELDS = [
    ("unit group", lambda r: r["isco"]),
    ("sub-major", lambda r: r["isco"][:2]),
    ("major", lambda r: r["isco"][0]),
    ("primary goal", lambda r: r["goals"][0]),
    ("goal set", lambda r: frozenset(r["goals"])),
    ("direction", lambda r: r["direction"]),
]


def parse_goals(s):
    return [g.strip() for g in s.replace(",", ";").split(";") if g.strip()]


def load_pass1():
    lines = (HERE.parent / "answers.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    out = {}
    for line in lines[1:]:
        f = dict(zip(head, line.split("\t")))
        out[f["id"]] = {"isco": f["isco_code"], "goals": parse_goals(f["sdg_goals"]),
                        "direction": f["direction"], "text": f["text"], "lang": f["language"]}
    return out


def load_key(lang):
    lines = (HERE / "key" / f"key-{lang}.tsv").read_text(encoding="utf-8").splitlines()
    return {int(n): id_ for n, id_ in (l.split("\t") for l in lines[1:])}


def load_pass2(lang):
    out = {}
    for raw in (HERE / f"labels2-{lang}.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        body, _, note = raw.partition("#")
        n, isco, goals, direction = [p.strip() for p in body.split("|")]
        out[int(n)] = {"isco": isco, "goals": parse_goals(goals), "direction": direction, "note": note.strip()}
    return out


def joined(lang, pass1=None):
    pass1 = pass1 or load_pass1()
    key, p2 = load_key(lang), load_pass2(lang)
    assert set(key) == set(p2), f"{lang}: key and pass-2 row numbers differ"
    ids = [i for i, r in pass1.items() if r["lang"] == lang]
    assert sorted(key.values()) == sorted(ids), f"{lang}: key ids do not match answers.tsv"
    return [(key[n], pass1[key[n]], p2[n]) for n in sorted(key)]


def kappa(a, b):
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def table(pass1=None, title="pass 1"):
    pass1 = pass1 or load_pass1()
    rows_by = {lang: joined(lang, pass1) for lang in LANGS}
    rows_by["all"] = [r for lang in LANGS for r in rows_by[lang]]
    cols = LANGS + ["all"]
    print(f"Agreement of {title} with pass 2 (share of rows with the same label)\n")
    print("| field | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    print("| n | " + " | ".join(str(len(rows_by[c])) for c in cols) + " |")
    for name, fn in FIELDS:
        vals = []
        for c in cols:
            rs = rows_by[c]
            vals.append(f"{sum(fn(a) == fn(b) for _, a, b in rs) / len(rs):.3f}")
        print(f"| {name} | " + " | ".join(vals) + " |")
    ks = [f"{kappa([a['isco'][0] for _, a, _ in rows_by[c]], [b['isco'][0] for _, _, b in rows_by[c]]):.3f}"
          for c in cols]
    print("| kappa (major group) | " + " | ".join(ks) + " |")
    return rows_by


def write_disagreements(rows_by):
    for lang in LANGS:
        n = 0
        with open(HERE / f"disagreements-{lang}.tsv", "w", encoding="utf-8", newline="") as out:
            out.write("id\tdiffers\ttext\tisco1\tgoals1\tdirection1\tisco2\tgoals2\tdirection2\tnote2\n")
            for id_, a, b in sorted(rows_by[lang], key=lambda r: r[0]):
                diff = []
                if a["isco"] != b["isco"]:
                    diff.append("major" if a["isco"][0] != b["isco"][0] else
                                "submajor" if a["isco"][:2] != b["isco"][:2] else "unit")
                if a["goals"][0] != b["goals"][0]:
                    diff.append("primary")
                elif a["goals"] != b["goals"]:
                    diff.append("goals")
                if a["direction"] != b["direction"]:
                    diff.append("direction")
                if not diff:
                    continue
                n += 1
                out.write("\t".join([id_, ",".join(diff), a["text"], a["isco"], ";".join(a["goals"]),
                                     a["direction"], b["isco"], ";".join(b["goals"]), b["direction"],
                                     b["note"]]) + "\n")
        print(f"disagreements-{lang}.tsv: {n} rows")


def main():
    rows_by = table()
    if "--write" in sys.argv:
        if list(HERE.glob("resolutions-*.tsv")) and "--force" not in sys.argv:
            sys.exit("resolutions exist, so answers.tsv may hold the final labels, not pass 1; "
                     "disagreements-LANG.tsv are kept (use --force to overwrite)")
        print()
        write_disagreements(rows_by)


if __name__ == "__main__":
    main()

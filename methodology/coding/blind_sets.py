#!/usr/bin/env python3
"""Shared tools of the blind evaluation sets (independent-set-d/, independent-set-e/, ...): building answers.tsv from
src/LANG.txt with every label checked, the second coder's sheets, the agreement of two labellings, and the
adjudication. Each set keeps thin scripts with its own settings (id prefix, shuffle seed, coverage rule) that call
these functions with its folder, so the commands in a set's README stay as they are.

What each set's script does (run from the set's folder):

build_answers.py
    Build the set's answers.tsv from src/{en,ru,kk}.txt and check every label.

    Source line format (one answer per line):  isco | goals | direction | text
      isco      4-digit ISCO-08 unit group (never major group 0, never sub-major group 63)
      goals     1-3 distinct SDG goals 1-17, primary first, separated by ';' or ','
      direction one of the codes in methodology/taxonomies/cavf-directions.csv
    Lines starting with '#' and blank lines are ignored. A comment line '# fam: NAME' starts a task family (the
    assumed survey mix of README.md); the families are counted, not written to answers.tsv.

    Writes answers.tsv (tab-separated, UTF-8, no quoting) with the header
      id language isco_code sdg_goals sdg_primary direction group text
    and prints coverage tables and the task-family counts. Exits with status 1 when any check fails.
    With coverage_forced=False (a set in a survey mix) coverage gaps are printed as notes, not errors.

pass2/make_sheet.py
    Write pass2/sheet-LANG.tsv: the texts of the set only, shuffled with a fixed seed and numbered.

    No labels and no ids go into the sheets, so that a second, independent coder can label them blind.
    Reads ../answers.tsv (run build_answers.py first). Columns: n, text, and empty isco, goals, direction
    columns for the second coder to fill in.

      python3 pass2/make_sheet.py              write the three sheets
      python3 pass2/make_sheet.py --key DIR    also write DIR/key-LANG.tsv (n -> id) for comparing the second
                                               coder's labels with answers.tsv afterwards; keep DIR away from
                                               the second coder (the key is not committed)

pass2/compare.py
    Compare the second coder's labels (pass 2) with the labels in answers.tsv (pass 1, or the final labels after
    adjudication), joined through pass2/key/key-LANG.tsv (sheet row n -> id, written by make_sheet.py --key pass2/key).

      python3 pass2/compare.py            print the agreement table (per language and overall) with Cohen's kappa
      python3 pass2/compare.py --write    also write pass2/disagreements-LANG.tsv: every row where the unit group,
                                          the goal list (set or order) or the direction differs. Run it on the
                                          pass-1 labels only (before apply_resolutions.py); it refuses once
                                          resolutions-LANG.tsv exist, unless --force is given.

    Agreement fields: unit group (4 digits), sub-major group (2), major group (1), primary goal, same goal set
    (order ignored), direction. Kappa is Cohen's kappa of the major group.

pass2/make_resolutions.py
    Expand the adjudicator's decisions (pass2/adjudication.txt) into pass2/resolutions-LANG.tsv.

    Reads pass2/disagreements-LANG.tsv (written by compare.py --write from the pass-1 labels, before adjudication).
    Adjudicable fields of a row: isco (when the major, sub-major or unit group differs), goals (when the primary goal
    differs) and direction. Each of them must have exactly one decision line; the script stops otherwise.

    resolutions-LANG.tsv columns: id, field, pass1, pass2, final, decision (pass1 / pass2 / third / ambiguous), rule.
    For goals, the values are whole goal lists (primary first); the final list is the list of the chosen pass.

pass2/apply_resolutions.py
    Apply pass2/resolutions-LANG.tsv to src/LANG.txt so that the source holds the final (adjudicated) labels,
    rebuild answers.tsv with build_answers.py, and print the agreement of the final labels with pass 2.

    Only rows whose final value differs from pass 1 change the source. The script checks that the source line still
    holds the pass-1 value (or already the final value, so running it twice changes nothing) and stops otherwise.
    Answer n of a language is the n-th non-comment, non-blank line of src/LANG.txt (as in build_answers.py).
"""
import csv
import random
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

TAX = Path(__file__).resolve().parent.parent / "taxonomies"
LANGS = ["en", "ru", "kk"]


def load_taxonomies():
    sub_majors = set()
    majors = set()
    with open(TAX / "isco08.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "sub-major":
                sub_majors.add(row["code"])
            elif row["level"] == "major":
                majors.add(row["code"])
    with open(TAX / "cavf-directions.csv", encoding="utf-8", newline="") as f:
        directions = [row["direction"] for row in csv.DictReader(f)]
    return majors, sub_majors, directions


def build_answers(here, id_prefix, coverage_forced):
    """Builds here/answers.tsv from here/src/LANG.txt (lines 'isco | goals | direction | text'; '# fam: NAME' starts a
    task family) and prints coverage tables. coverage_forced: gaps in sub-major groups, goals and directions are the
    set's targets (printed as warnings); otherwise they are notes and only fewer than 380 answers a language fails.
    Returns the exit status."""
    majors, sub_majors, directions = load_taxonomies()
    civilian_sub = sorted(s for s in sub_majors if s[0] != "0" and s != "63")
    errors = []
    rows = []
    seen_text = {}
    for lang in LANGS:
        path = here / "src" / f"{lang}.txt"
        n = 0
        if not path.exists():
            errors.append(f"{path.name}: missing")
            continue
        fam = "(none)"
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if line.startswith("# fam:"):
                fam = line[len("# fam:"):].strip()
                continue
            if not line or line.startswith("#"):
                continue
            where = f"{path.name}:{lineno}"
            parts = [p.strip() for p in line.split("|", 3)]
            if len(parts) != 4:
                errors.append(f"{where}: expected 'isco | goals | direction | text'")
                continue
            isco, goals_s, direction, text = parts
            if len(isco) != 4 or not isco.isdigit():
                errors.append(f"{where}: isco '{isco}' is not a 4-digit unit group")
            elif isco[0] == "0":
                errors.append(f"{where}: major group 0 is never used")
            elif isco[:2] == "63":
                errors.append(f"{where}: sub-major group 63 is not volunteer work")
            elif isco[:2] not in sub_majors:
                errors.append(f"{where}: sub-major group {isco[:2]} does not exist in isco08.csv")
            goals = []
            for g in goals_s.replace(",", ";").split(";"):
                g = g.strip()
                if not g:
                    continue
                if not g.isdigit() or not 1 <= int(g) <= 17:
                    errors.append(f"{where}: goal '{g}' is not 1-17")
                    continue
                goals.append(int(g))
            if not 1 <= len(goals) <= 3:
                errors.append(f"{where}: {len(goals)} goals (need 1-3)")
            if len(set(goals)) != len(goals):
                errors.append(f"{where}: repeated goal in {goals_s}")
            if direction not in directions:
                errors.append(f"{where}: direction '{direction}' is not one of {directions}")
            if not text:
                errors.append(f"{where}: empty text")
            for bad, name in (("\t", "tab"), ('"', "double quote"), ("|", "'|'")):
                if bad in text:
                    errors.append(f"{where}: {name} in text")
            key = " ".join(text.lower().split())
            if key in seen_text:
                errors.append(f"{where}: duplicate text (first at {seen_text[key]})")
            else:
                seen_text[key] = where
            n += 1
            rows.append({
                "id": f"{id_prefix}-{lang}-{n:03d}",
                "language": lang,
                "isco_code": isco,
                "sdg_goals": ";".join(str(g) for g in goals),
                "sdg_primary": str(goals[0]) if goals else "",
                "direction": direction,
                "text": text,
                "family": fam,
            })
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} error(s); answers.tsv not written", file=sys.stderr)
        return 1

    cols = ["id", "language", "isco_code", "sdg_goals", "sdg_primary", "direction", "group", "text"]
    with open(here / "answers.tsv", "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            r["group"] = r["id"]
            f.write("\t".join(r[c] for c in cols) + "\n")

    by_lang = defaultdict(list)
    for r in rows:
        by_lang[r["language"]].append(r)

    def table(title, keyfn, keys):
        counts = {lang: Counter(keyfn(r) for r in by_lang[lang]) for lang in LANGS}
        print(f"\n{title}\n")
        print("| " + " | ".join(["key"] + LANGS + ["all"]) + " |")
        print("|" + "---|" * (len(LANGS) + 2))
        for k in keys:
            vals = [counts[lang][k] for lang in LANGS]
            print("| " + " | ".join([str(k)] + [str(v) for v in vals] + [str(sum(vals))]) + " |")

    print("answers per language: " + ", ".join(f"{lang} {len(by_lang[lang])}" for lang in LANGS)
          + f"; total {len(rows)}")
    table("Major group", lambda r: r["isco_code"][0], [str(m) for m in range(1, 10)])
    table("Sub-major group", lambda r: r["isco_code"][:2], civilian_sub)
    table("Primary goal", lambda r: int(r["sdg_primary"]), list(range(1, 18)))
    table("Direction", lambda r: r["direction"], directions)
    fams = sorted({r["family"] for r in rows}, key=lambda f: (-sum(1 for r in rows if r["family"] == f), f))
    if fams != ["(none)"]:
        table("Task family (source comments '# fam:')", lambda r: r["family"], fams)

    gaps = []
    too_small = []
    for lang in LANGS:
        subs = Counter(r["isco_code"][:2] for r in by_lang[lang])
        missing = [s for s in civilian_sub if subs[s] == 0]
        if missing:
            gaps.append(f"{lang}: sub-major groups {'missing' if coverage_forced else 'not used'}: {' '.join(missing)}")
        prim = Counter(int(r["sdg_primary"]) for r in by_lang[lang])
        low = [g for g in range(1, 18) if prim[g] < 5]
        if low:
            gaps.append(f"{lang}: primary goals used fewer than 5 times: {low}")
        dirs = Counter(r["direction"] for r in by_lang[lang])
        nod = [d for d in directions if dirs[d] == 0]
        if nod:
            gaps.append(f"{lang}: directions {'missing' if coverage_forced else 'not used'}: {nod}")
        if len(by_lang[lang]) < 380:
            if coverage_forced:
                gaps.append(f"{lang}: {len(by_lang[lang])} answers (target >= 380)")
            else:
                too_small.append(f"{lang}: {len(by_lang[lang])} answers (need >= 380)")
    if coverage_forced:
        print("\nCoverage warnings:" if gaps else "\nCoverage: all targets met.")
    else:
        # A set in a survey mix is not coverage-forced: gaps are notes; only the size is a requirement.
        print("\nCoverage notes (not targets for this set):" if gaps else "\nCoverage: every sub-major group, goal and direction used.")
    for w in gaps:
        print("  " + w)
    if too_small:
        print("\n".join(too_small), file=sys.stderr)
        return 1
    return 0


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


def load_pass1(here):
    lines = (here.parent / "answers.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    out = {}
    for line in lines[1:]:
        f = dict(zip(head, line.split("\t")))
        out[f["id"]] = {"isco": f["isco_code"], "goals": parse_goals(f["sdg_goals"]),
                        "direction": f["direction"], "text": f["text"], "lang": f["language"]}
    return out


def load_key(here, lang):
    lines = (here / "key" / f"key-{lang}.tsv").read_text(encoding="utf-8").splitlines()
    return {int(n): id_ for n, id_ in (l.split("\t") for l in lines[1:])}


def load_pass2(here, lang):
    out = {}
    for raw in (here / f"labels2-{lang}.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        body, _, note = raw.partition("#")
        n, isco, goals, direction = [p.strip() for p in body.split("|")]
        out[int(n)] = {"isco": isco, "goals": parse_goals(goals), "direction": direction, "note": note.strip()}
    return out


def joined(here, lang, pass1=None):
    pass1 = pass1 or load_pass1(here)
    key, p2 = load_key(here, lang), load_pass2(here, lang)
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


def agreement_table(here, pass1=None, title="pass 1"):
    """Prints the agreement of answers.tsv's labels with pass 2 (here = the set's pass2 folder); returns the joined rows."""
    pass1 = pass1 or load_pass1(here)
    rows_by = {lang: joined(here, lang, pass1) for lang in LANGS}
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


def write_disagreements(here, rows_by):
    for lang in LANGS:
        n = 0
        with open(here / f"disagreements-{lang}.tsv", "w", encoding="utf-8", newline="") as out:
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


def compare(here, argv):
    """pass2/compare.py: the agreement table; with --write also the disagreement files."""
    rows_by = agreement_table(here)
    if "--write" in argv:
        if list(here.glob("resolutions-*.tsv")) and "--force" not in argv:
            sys.exit("resolutions exist, so answers.tsv may hold the final labels, not pass 1; "
                     "disagreements-LANG.tsv are kept (use --force to overwrite)")
        print()
        write_disagreements(here, rows_by)


COLS = {"isco": ("isco1", "isco2"), "goals": ("goals1", "goals2"), "direction": ("direction1", "direction2")}


def make_resolutions(here, id_prefix):
    """pass2/make_resolutions.py: expands pass2/adjudication.txt into pass2/resolutions-LANG.tsv."""
    decisions = {}
    for raw in (here / "adjudication.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        id_, field, choice, rule = [p.strip() for p in raw.split("|", 3)]
        key = (f"{id_prefix}-{id_}", field)
        if key in decisions:
            sys.exit(f"duplicate decision {key}")
        decisions[key] = (choice, rule)
    used = set()
    for lang in LANGS:
        lines = (here / f"disagreements-{lang}.tsv").read_text(encoding="utf-8").splitlines()
        head = lines[0].split("\t")
        out_rows = []
        for line in lines[1:]:
            r = dict(zip(head, line.split("\t")))
            diff = r["differs"].split(",")
            fields = []
            if {"major", "submajor", "unit"} & set(diff):
                fields.append("isco")
            if "primary" in diff:
                fields.append("goals")
            if "direction" in diff:
                fields.append("direction")
            for field in fields:
                key = (r["id"], field)
                if key not in decisions:
                    sys.exit(f"no decision for {key}")
                used.add(key)
                choice, rule = decisions[key]
                v1, v2 = r[COLS[field][0]], r[COLS[field][1]]
                if choice == "p1":
                    final, dec = v1, "pass1"
                elif choice == "A":
                    final, dec = v1, "ambiguous"
                elif choice == "p2":
                    final, dec = v2, "pass2"
                else:
                    final, dec = choice, "third"
                out_rows.append([r["id"], field, v1, v2, final, dec, rule])
        with open(here / f"resolutions-{lang}.tsv", "w", encoding="utf-8", newline="") as out:
            out.write("id\tfield\tpass1\tpass2\tfinal\tdecision\trule\n")
            for row in out_rows:
                out.write("\t".join(row) + "\n")
        n_change = sum(1 for row in out_rows if row[4] != row[2])
        n_amb = sum(1 for row in out_rows if row[5] == "ambiguous")
        print(f"resolutions-{lang}.tsv: {len(out_rows)} decisions, {n_change} changes, {n_amb} ambiguous")
    extra = set(decisions) - used
    if extra:
        sys.exit(f"decisions for fields that are not disagreements: {sorted(extra)}")


POS = {"isco": 0, "goals": 1, "direction": 2}


def norm(field, v):
    return ";".join(g.strip() for g in v.replace(",", ";").split(";")) if field == "goals" else v.strip()


def apply_resolutions(here):
    """pass2/apply_resolutions.py: writes the final labels into src/LANG.txt, rebuilds answers.tsv, prints the agreement."""
    set_dir = here.parent
    total = 0
    for lang in LANGS:
        res = (here / f"resolutions-{lang}.tsv").read_text(encoding="utf-8").splitlines()
        head = res[0].split("\t")
        changes = {}
        for line in res[1:]:
            r = dict(zip(head, line.split("\t")))
            if r["final"] != r["pass1"]:
                n = int(r["id"].rsplit("-", 1)[1])
                changes.setdefault(n, []).append((r["field"], r["pass1"], r["final"]))
        path = set_dir / "src" / f"{lang}.txt"
        lines = path.read_text(encoding="utf-8").split("\n")
        n = 0
        done = 0
        for i, raw in enumerate(lines):
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            n += 1
            if n not in changes:
                continue
            parts = [p.strip() for p in raw.split("|", 3)]
            for field, v1, final in changes[n]:
                cur = norm(field, parts[POS[field]])
                if cur == final:
                    continue
                if cur != v1:
                    sys.exit(f"{lang} answer {n}: {field} is '{cur}', expected pass-1 value '{v1}'")
                parts[POS[field]] = final
                done += 1
            lines[i] = " | ".join(parts)
        path.write_text("\n".join(lines), encoding="utf-8")
        print(f"src/{lang}.txt: {done} field values changed ({sum(len(v) for v in changes.values())} resolutions "
              f"with a final value different from pass 1)")
        total += done
    rc = subprocess.run([sys.executable, str(set_dir / "build_answers.py")], cwd=set_dir,
                        stdout=subprocess.DEVNULL).returncode
    if rc:
        sys.exit("build_answers.py failed")
    print("answers.tsv rebuilt\n")
    agreement_table(here, title="the final labels")


def make_sheet(here, seed, argv):
    """pass2/make_sheet.py: the shuffled texts-only sheets; with --key DIR also the n -> id key."""
    lines = (here.parent / "answers.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    ti, li = header.index("text"), header.index("language")
    ii = header.index("id")
    key_dir = Path(argv[argv.index("--key") + 1]) if "--key" in argv else None
    texts = {}
    for line in lines[1:]:
        f = line.split("\t")
        texts.setdefault(f[li], []).append((f[ii], f[ti]))
    for lang, items in sorted(texts.items()):
        rng = random.Random(f"{seed}-{lang}")
        items = items[:]
        rng.shuffle(items)
        with open(here / f"sheet-{lang}.tsv", "w", encoding="utf-8", newline="") as out:
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

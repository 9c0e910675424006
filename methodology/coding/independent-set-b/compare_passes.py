#!/usr/bin/env python3
"""Pass 2, step 3: compare the pass-2 labels (pass2/labels.tsv, made from pass2/sheet.tsv without the keys) with the
pass-1 labels, through pass2/key.tsv.

Usage: python3 compare_passes.py [LABELS [OUT]]  (defaults: pass2/answers-pass1.tsv, the pass-1 snapshot, and
pass2/disagreements-pass1.tsv; `answers.tsv pass2/disagreements-final.tsv` compares the final labels instead).

Prints agreement per language and level (unit group, sub-major, major, primary goal, goal set, direction) and writes
every disagreement to pass2/disagreements.tsv (id, what differs, pass-1 label, pass-2 label, text) for resolution.
"""
import glob, os, sys
from collections import defaultdict
HERE = os.path.dirname(os.path.abspath(__file__))

def table(path):
    lines = [l.split('\t') for l in open(os.path.join(HERE, path), encoding='utf-8').read().split('\n') if l]
    return [dict(zip(lines[0], r)) for r in lines[1:]]

LABELS = sys.argv[1] if len(sys.argv) > 1 else 'pass2/answers-pass1.tsv'
OUT = sys.argv[2] if len(sys.argv) > 2 else 'pass2/disagreements-pass1.tsv'
answers = {r['id']: r for r in table(LABELS)}
# every batch: pass2/key.tsv + pass2/labels.tsv, pass2/key-2.tsv + pass2/labels-2.tsv, ...
key = {r['sheet_id']: r['id'] for k in sorted(glob.glob(os.path.join(HERE, 'pass2', 'key*.tsv'))) for r in table(os.path.relpath(k, HERE))}
p2 = {key[r['sheet_id']]: r for f in sorted(glob.glob(os.path.join(HERE, 'pass2', 'labels*.tsv'))) for r in table(os.path.relpath(f, HERE))}
p2 = {i: r for i, r in p2.items() if i in answers}  # the pass-1 snapshot predates later batches
missing = sorted(set(answers) - set(p2))
if missing:
    raise SystemExit(f'pass 2 has no label for {len(missing)} answers, e.g. {missing[:3]}')

levels = {
    'unit group': lambda a, b: a['isco_code'] == b['isco'],
    'sub-major': lambda a, b: a['isco_code'][:2] == b['isco'][:2],
    'major': lambda a, b: a['isco_code'][0] == b['isco'][0],
    'primary goal': lambda a, b: a['sdg_primary'] == b['goals'].split(';')[0],
    'goal set': lambda a, b: set(a['sdg_goals'].split(';')) == set(b['goals'].split(';')),
    'direction': lambda a, b: a['direction'] == b['direction'],
}
agree = defaultdict(lambda: defaultdict(int)); total = defaultdict(int)
rows = []
for rid, a in answers.items():
    b = p2[rid]; lang = a['language']; total[lang] += 1; total['all'] += 1
    diff = []
    for name, same in levels.items():
        if same(a, b):
            agree[lang][name] += 1; agree['all'][name] += 1
        elif name in ('unit group', 'primary goal', 'goal set', 'direction'):
            diff.append(name)
    if diff:
        rows.append([rid, ','.join(diff), f"{a['isco_code']} {a['sdg_goals']} {a['direction']}",
                     f"{b['isco']} {b['goals']} {b['direction']}", a['text']])
langs = ['en', 'ru', 'kk', 'all']
print(f'agreement of {LABELS} and pass 2 | ' + ' | '.join(f'{l} (n={total[l]})' for l in langs))
for name in levels:
    print(f'{name} | ' + ' | '.join(f'{agree[l][name]} ({agree[l][name] / total[l]:.3f})' for l in langs))
with open(os.path.join(HERE, OUT), 'w', encoding='utf-8') as f:
    f.write('id\tdiffers\tpass1\tpass2\ttext\n')
    for r in sorted(rows):
        f.write('\t'.join(r) + '\n')
print(f'{len(rows)} answers with a disagreement written to {OUT}')

#!/usr/bin/env python3
"""Pass 2, step 1: write the texts of answers.tsv in a shuffled order with the keys hidden.

Batch 1 (the first run): pass2/sheet.tsv (sheet_id, language, text: what the second labelling pass reads; no labels,
no answer ids) and pass2/key.tsv (sheet_id, id: the link back, read only by compare_passes.py).
Later runs write a new batch for the answers that no key file lists yet: pass2/sheet-<n>.tsv and pass2/key-<n>.tsv,
sheet ids with the batch letter (batch 2: t001 ...). Existing sheets are never rewritten, because their labels refer
to their sheet ids. The shuffle uses a fixed seed per batch so a batch can be rebuilt byte for byte.
"""
import glob, os, random
HERE = os.path.dirname(os.path.abspath(__file__))
P2 = os.path.join(HERE, 'pass2')
rows = [l.split('\t') for l in open(os.path.join(HERE, 'answers.tsv'), encoding='utf-8').read().split('\n')[1:] if l]
keys = sorted(glob.glob(os.path.join(P2, 'key*.tsv')))
seen = {l.split('\t')[1] for k in keys for l in open(k, encoding='utf-8').read().split('\n')[1:] if l}
new = [r for r in rows if r[0] not in seen]
if not new:
    raise SystemExit('every answer is already on a pass-2 sheet')
batch = len(keys) + 1
suffix, letter = ('', 's') if batch == 1 else (f'-{batch}', 'rstuvwxyz'[batch])
random.Random(20261207 + batch - 1).shuffle(new)
with open(os.path.join(P2, f'sheet{suffix}.tsv'), 'w', encoding='utf-8') as s, \
     open(os.path.join(P2, f'key{suffix}.tsv'), 'w', encoding='utf-8') as k:
    s.write('sheet_id\tlanguage\ttext\n'); k.write('sheet_id\tid\n')
    for n, r in enumerate(new, 1):
        sid = f'{letter}{n:03d}'
        s.write(f'{sid}\t{r[1]}\t{r[7]}\n'); k.write(f'{sid}\t{r[0]}\n')
print(f'batch {batch}: {len(new)} texts written to pass2/sheet{suffix}.tsv')

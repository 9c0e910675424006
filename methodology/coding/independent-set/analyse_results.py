#!/usr/bin/env python3
"""Per-group analysis of `contrib classify --input` output for the independent set (columns ref_* = the labels). Issue #17."""
import sys
import csv, re, collections
rows=list(csv.DictReader(open(sys.argv[1],encoding='utf-8')))
def ok(r): return r['isco_code']==r['ref_isco_code'][0]
def sub(r): return r['isco_submajor']==r['ref_isco_code'][:2]
def prim(r): return r['ref_sdg_primary'] in r['sdg_goals'].split(';')
def pct(xs,f): return f"{sum(map(f,xs))}/{len(xs)} = {sum(map(f,xs))/len(xs):.3f}" if xs else "–"
print("## per language: major, sub-major, primary among proposed")
for L in ('en','ru','kk'):
    xs=[r for r in rows if r['language']==L]
    print(L, pct(xs,ok), pct(xs,sub), pct(xs,prim))
print("## confusion (rows: labelled major, cols: predicted), all languages")
M=collections.Counter((r['ref_isco_code'][0],r['isco_code']) for r in rows)
print("| labelled \\ predicted | "+" | ".join(str(g) for g in range(1,10))+" | n | right |")
print("|---|"+"---:|"*11)
for t in range(1,10):
    n=sum(M[(str(t),str(p))] for p in range(1,10))
    print(f"| {t} | "+" | ".join(str(M[(str(t),str(p))]) for p in range(1,10))+f" | {n} | {M[(str(t),str(t))]/n:.2f} |")
print("## major accuracy by labelled major group and language")
for t in range(1,10):
    print(t, *[pct([r for r in rows if r['language']==L and r['ref_isco_code'][0]==str(t)],ok) for L in ('en','ru','kk')])
print("## primary goal among proposed, by labelled primary goal (all languages)")
for g in range(1,18):
    xs=[r for r in rows if r['ref_sdg_primary']==str(g)]
    first=sum(r['sdg_goals'].split(';')[0]==str(g) for r in xs)
    print(g, pct(xs,prim), f"first={first}")
print("## by confidence band (ISCO major)")
for lo,hi in [(0,.5),(.5,.6),(.6,.7),(.7,.8),(.8,.9),(.9,1.01)]:
    xs=[r for r in rows if lo<=float(r['isco_confidence'])<hi]
    print(f"[{lo},{hi})", pct(xs,ok), f"mean conf {sum(float(r['isco_confidence']) for r in xs)/max(1,len(xs)):.3f}")
print("## subsets")
board=[r for r in rows if r['ref_isco_code'] in('1114',)]
print("boards/elected 1114:", pct(board,ok), [ (r['id'],r['isco_code']) for r in board if not ok(r)])
vague=[r for r in rows if r['ref_isco_code']=='9629']
print("9629 (handing out, vague):", pct(vague,ok))
comp=re.compile(r"(п|ып|іп)\s+(бер|отыр|жүр|тұр|шық|қой|кет|қайт)")
kk=[r for r in rows if r['language']=='kk']
kc=[r for r in kk if comp.search(r['text'])]; kn=[r for r in kk if not comp.search(r['text'])]
print("kk with converb+auxiliary:", pct(kc,ok), " kk without:", pct(kn,ok))
print("## mean/median confidence of errors vs right")
for L in ('en','ru','kk','all'):
    xs=[r for r in rows if L=='all' or r['language']==L]
    print(L, 'mean conf', round(sum(float(r['isco_confidence']) for r in xs)/len(xs),3), 'acc', round(sum(map(ok,xs))/len(xs),3))
print("## errors")
for r in rows:
    if not ok(r): print(r['id'], r['ref_isco_code'], '->', r['isco_submajor'], round(float(r['isco_confidence']),2), r['text'][:90])

#!/usr/bin/env python3
"""scripts/plan_walk.py TYPE TREE: the walk of the parsed options (TYPE:
"struct plan", or "struct config" before it) through TREE's src/: the
functions that take it, the files they are in, and the calls among them
that climb back up the layers of docs/design.md (toward main).  Uses ctags
(universal-ctags) for the functions and cscope for the calls; a name two
files define alike (a static helper) counts once, so the figures are a
guide, not an audit.  Results: results/2026-12-03/plan-walk.md."""
import re, subprocess, sys, os
typ = sys.argv[1]          # e.g. "struct config"
os.chdir(sys.argv[2])
# docs/design.md's layers, top = 10; before the plan, experiment.c and
# calibrate.c stood where the drivers stand now.
RANK = [('src/main.c',10),('src/cli/',9),('src/drivers/',8),('src/calibrate',8),('src/experiment',8),
        ('src/pipeline/',7),('src/sampling/',7),('src/plan/',6),('src/report/',5),('src/measure/',4),
        ('src/strategies/',3),('src/matrix/',2),('src/kernels/',1),('src/os/',0)]
def rank(f):
    for p,r in RANK:
        if f.startswith(p): return r
    return 9
tags = subprocess.run(['ctags','-x','--c-kinds=f','-R','src'],capture_output=True,text=True).stdout
funcs = {}
for line in tags.splitlines():
    name, kind, lineno, f = line.split()[:4]
    src = open(f).read().splitlines()
    sig = ' '.join(src[int(lineno)-1:int(lineno)+3])
    sig = sig[:sig.find('{')] if '{' in sig else sig
    if typ in sig: funcs[name] = f
db = '/tmp/plan_walk.%d.out' % os.getpid()
subprocess.run(['cscope','-Rbq','-ssrc','-f' + db],check=True)
files = sorted(set(funcs.values()))
up = []
edges = 0
for fn, f in funcs.items():
    out = subprocess.run(['cscope','-d','-f' + db,'-L','-2',fn],capture_output=True,text=True).stdout
    for l in out.splitlines():
        parts = l.split()
        if len(parts) < 2: continue
        callee = parts[1]
        if callee in funcs:
            edges += 1
            if rank(funcs[callee]) > rank(f): up.append(f'{f}:{fn} -> {funcs[callee]}:{callee}')
# files that include the parser's header, below main
inc = subprocess.run(['grep','-rl','cli/cli.h','src'],capture_output=True,text=True).stdout.split()
print(f'{typ}: {len(funcs)} functions in {len(files)} files; {edges} calls among them; {len(up)} climb back up')
for f in files: print('  ', f, sum(1 for v in funcs.values() if v == f))
for u in up: print('  up:', u)
print('files below main that include cli/cli.h:', [f for f in inc if f not in ('src/main.c','src/cli/cli.c','src/cli/cli.h')])
for f in (db, db + '.in', db + '.po'):
    if os.path.exists(f): os.remove(f)

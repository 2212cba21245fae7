#!/usr/bin/python3
"""verdicts_table.py TSV PAIRS: make bench-verdicts' table (Markdown) from its TSV."""
import csv, sys, platform, subprocess, datetime
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
pairs = int(sys.argv[2])
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
print(f"# make bench-verdicts: the CI gate's false alarms and power\n")
print(f"Machine: {cpu}, {subprocess.check_output(['nproc']).decode().strip()} CPUs, "
      f"{platform.system()} {platform.release()}; {datetime.date.today()}.")
print(f"Each fresh report (README's CI options: every strategy, 10 fresh processes of 3 runs,"
      f" --threshold 5) against its own fresh baseline; {pairs} pairs per row.\n")
print("| matrix | fresh run | pass | regressed | inconclusive | mean seconds | target |")
print("| --- | --- | --- | --- | --- | --- | --- |")
target = {'aa': 'at most 1 regressed', 'busy': '0 regressed',
          'pairwise': f'at least {pairs - pairs // 20} regressed', 'naive': f'{pairs} regressed'}
ok_all = True
for m in dict.fromkeys(r['matrix'] for r in rows):
    for kind in ['aa', 'busy', 'pairwise', 'naive']:
        sel = [r for r in rows if r['matrix'] == m and r['kind'] == kind]
        n = {s: sum(r['status'] == s for r in sel) for s in '015'}
        secs = sum(float(r['seconds']) for r in sel) / max(len(sel), 1)
        ok = {'aa': n['1'] <= max(1, len(sel) // 20), 'busy': n['1'] == 0,
              'pairwise': n['1'] >= len(sel) - len(sel) // 20, 'naive': n['1'] == len(sel)}[kind]
        ok_all &= ok
        print(f"| {m} | {kind} | {n['0']} | {n['1']} | {n['5']} | {secs:.1f} | "
              f"{target[kind]}: {'met' if ok else 'MISSED'} |")
print(f"\nAll targets {'met' if ok_all else 'NOT met'}.")

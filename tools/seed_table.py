#!/usr/bin/env python
"""Mean +- sd over seeds of the run folders METHOD-sSEED under DIR: test accuracy, time, and (when landscape.json is
there) the flatness and the top Hessian eigenvalue of the run's model.

    python tools/seed_table.py DIR
"""
import argparse, json, pathlib, re, statistics


def ms(v):
    v = [x for x in v if x is not None]
    if not v: return '-'
    return f'{statistics.mean(v):.4f} +- {statistics.stdev(v):.4f}' if len(v) > 1 else f'{v[0]:.4f}'


def flat(d):
    p = d / 'landscape.json'
    if not p.is_file(): return None, None
    r = json.loads(p.read_text())
    f, h = r.get('flatness') or {}, r.get('hessian') or {}
    return f.get('mean'), h.get('eigenvalue')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('dir')
    a = ap.parse_args()
    runs = {}
    for p in sorted(pathlib.Path(a.dir).glob('*-s*/summary.json')):
        m = re.match(r'(.+)-s(\d+)$', p.parent.name)
        if m: runs.setdefault(m.group(1), []).append((json.loads(p.read_text()), *flat(p.parent)))
    print(f"{'method':10s} {'seeds':>5s} {'test accuracy':>20s} {'seconds':>12s} {'flatness r=0.1':>20s} "
          f"{'top Hessian eig':>22s}")
    for k, rows in runs.items():
        acc, sec = [r[0].get('test_acc') for r in rows], [r[0].get('seconds') for r in rows]
        print(f'{k:10s} {len(rows):5d} {ms(acc):>20s} {ms(sec):>12s} {ms([r[1] for r in rows]):>20s} '
              f'{ms([r[2] for r in rows]):>22s}')


if __name__ == '__main__':
    main()

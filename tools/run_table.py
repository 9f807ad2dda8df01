#!/usr/bin/env python
"""Test accuracy and time of every run folder under DIR (from its summary.json), one line each.

    python tools/run_table.py DIR [--json FILE]     (FILE: every summary, keyed by the run folder's name)
"""
import argparse, json, pathlib


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('dir')
    ap.add_argument('--json', help='also write all the summaries to this file')
    a = ap.parse_args()
    rows = {p.parent.name: json.loads(p.read_text()) for p in sorted(pathlib.Path(a.dir).glob('*/summary.json'))}
    if a.json: pathlib.Path(a.json).write_text(json.dumps(rows, indent=1, default=str))
    num = lambda v: float('nan') if v is None else v
    print(f"{'run':22s} {'test acc':>9s} {'seconds':>9s}")
    for k, r in rows.items(): print(f"{k:22s} {num(r.get('test_acc')):9.4f} {num(r.get('seconds')):9.1f}")


if __name__ == '__main__':
    main()

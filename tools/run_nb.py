"""Execute notebooks in place and store their outputs (for the docs), skipping flagged cells.

    python tools/run_nb.py nbs/11_ista.ipynb [more.ipynb ...] [--flags cuda]

Cells whose directives include a flag from settings.ini's `tst_flags` (`notest slow cuda`) are skipped
unless the flag is given with --flags; a skipped cell keeps the outputs it had (so outputs recorded on a
GPU survive a CPU re-run). Uses nbdev's own executor (execnb), then `nbdev_clean` on each file."""
import argparse, re, subprocess
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

SKIPPABLE = {'notest', 'slow', 'cuda'}

def directives(src):
    out = set()
    for line in src.splitlines():
        m = re.match(r'\s*#\|\s*(.*)', line)
        if not m:
            if line.strip(): break
            continue
        out.update(re.split(r'[\s:]+', m.group(1).strip())[:1])
    return out

def run(path, flags=()):
    path = Path(path).resolve()
    nb = read_nb(path)
    skip = SKIPPABLE - set(flags)
    def preproc(cell):  # True = do not execute
        if cell.cell_type != 'code': return True
        d = directives(cell.source)
        return bool(d & skip) or 'eval' in d and re.search(r'#\|\s*eval:\s*false', cell.source)
    sh = CaptureShell(path)
    with working_directory(path.parent):
        sh.run_all(nb, exc_stop=True, preproc=preproc)
    write_nb(nb, path)
    subprocess.run(['nbdev_clean', '--fname', str(path)], check=True)
    print('executed', path.name)

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('paths', nargs='+')
    ap.add_argument('--flags', default='')
    a = ap.parse_args()
    for p in a.paths: run(p, a.flags.split())

"""How much a busy machine slows the 3-epoch digits demo: the same search timed on the machine as it is ("quiet")
and while BUSY other CPU-bound processes run (default 2), in one script; prints both times, the thread counts the
search chose, and the ratio (target: at most 5x).

    python tools/bench_busy.py                  # the default thread choice
    python tools/bench_busy.py --threads 2      # force a thread count (e.g. torch's old default: all cores)

"Quiet" is the machine as it is when the script starts: run it on an otherwise idle machine for a clean number.
OMP_NUM_THREADS is removed from the search's environment, so that the search makes its own choice."""
import argparse, os, re, subprocess, sys, tempfile, time

def demo(epochs, method, threads, timeout):
    "Run the demo once; (wall seconds, the 'threads:' lines it printed, exit status)."
    out = tempfile.mkdtemp(prefix='bench_busy_')
    cmd = [sys.executable, '-m', 'autojoint', 'search', '--method', method, '--dataset', 'digits', '--epochs',
           str(epochs),
           '--device', 'cpu', '--out', os.path.join(out, 'run'), '--progress-every', '1e9']
    if threads: cmd += ['--threads', str(threads)]
    env = {k: v for k, v in os.environ.items() if k not in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS')}
    t0 = time.perf_counter()
    try: r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired: return float('inf'), 'timed out', -1
    dt = time.perf_counter() - t0
    lines = re.findall(r'^threads: .*$', r.stdout, re.M)     # the choice at the start, and the tuner's if it ran
    if r.returncode != 0: print(r.stderr[-2000:], file=sys.stderr)
    return dt, '; '.join(lines) or '?', r.returncode

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--method', default='dha')
    ap.add_argument('--busy', type=int, default=2, help='CPU-bound processes started for the busy run')
    ap.add_argument('--threads', type=int, default=None,
                    help='force the search\'s thread count (default: its own choice)')
    ap.add_argument('--timeout', type=float, default=1800, help='seconds before a run is given up')
    a = ap.parse_args()
    print(f'CPUs: {os.cpu_count()}, load average now: {", ".join(f"{x:.2f}" for x in os.getloadavg())}', flush=True)
    quiet, tq, rc1 = demo(a.epochs, a.method, a.threads, a.timeout)
    print(f'quiet: {quiet:7.1f} s  ({tq})', flush=True)
    spin = [subprocess.Popen([sys.executable, '-c', 'while True: pass']) for _ in range(a.busy)]
    try:
        time.sleep(1.0)
        busy, tb, rc2 = demo(a.epochs, a.method, a.threads, a.timeout)
    finally:
        for p in spin:
            p.kill()
            p.wait()
    print(f'busy:  {busy:7.1f} s  ({tb}; {a.busy} CPU-bound processes)', flush=True)
    ratio = busy / quiet
    print(f'ratio busy/quiet: {ratio:.2f}x (target <= 5x): {"ok" if ratio <= 5 else "TOO SLOW"}')
    sys.exit(0 if ratio <= 5 and rc1 == 0 and rc2 == 0 else 1)

if __name__ == '__main__': main()

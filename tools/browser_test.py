"""Browser test: run the GPU tutorial in QUICK mode inside a real JupyterLab and check that the live dashboard \
renders with data.

    python tools/browser_test.py [--notebook nbs/tutorials/full_gpu_search.ipynb] [--shot docs/_shots/dashboard.png] \
[--timeout 300]

Starts JupyterLab headless on 127.0.0.1 (free port, random token, its config/data/runtime folders in a temporary folder,
the notebook copied into a temporary root so the repository is not touched), opens the notebook in Debian's Chromium
through Playwright, runs all cells (no GPU is visible here, so the notebook picks QUICK mode), waits for the kernel, and
asserts: no cell raised; the dashboard widget is there with heat-map cells, an eta trace with points and a genotype
drawing; the replay widget is there. Saves a screenshot of the dashboard. Exits non-zero with a message on failure;
always stops the server."""
import argparse, json, os, secrets, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync',
                 '--disable-dev-shm-usage']

def fail(msg):
    print(f'browser test FAILED: {msg}', file=sys.stderr, flush=True)
    raise SystemExit(1)

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]

def wait_for_server(url, proc, deadline):
    while time.time() < deadline:
        if proc.poll() is not None: fail(f'JupyterLab exited early with code {proc.returncode}; see its log above')
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200: return
        except Exception: time.sleep(0.5)
    fail('JupyterLab did not answer in time')

def start_lab(root, tmp, port, token):
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / 'config'), JUPYTER_DATA_DIR=str(tmp / 'data'),
               JUPYTER_RUNTIME_DIR=str(tmp / 'runtime'), IPYTHONDIR=str(tmp / 'ipython'), JUPYTER_PLATFORM_DIRS='1',
               MPLBACKEND='Agg', CUDA_VISIBLE_DEVICES='')   # CPU: the tutorial runs in QUICK mode
    env.pop('IN_TEST', None)
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ServerApp.open_browser=False',
           '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}', '--ServerApp.port_retries=0',
           f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={root}', '--LabApp.expose_app_in_browser=True',
           '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
           '--ServerApp.log_level=WARN']
    if hasattr(os, 'geteuid') and os.geteuid() == 0: cmd.append('--allow-root')   # containers and CI often run as root
    log = open(tmp / 'lab.log', 'w')
    return subprocess.Popen(cmd, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True), tmp / 'lab.log'

def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try: proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

COUNT_JS = """() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const prompts = cells.map(c => (c.querySelector('.jp-InputArea-prompt') || {}).textContent || '');
  return {n: cells.length, running: prompts.filter(p => p.includes('*')).length, \
done: prompts.filter(p => /\\[\\d+\\]/.test(p)).length,
          errors: document.querySelectorAll('.jp-Notebook [data-mime-type="application/vnd.jupyter.error"], \
.jp-Notebook .jp-OutputArea-output pre .ansi-red-intense-fg').length};
}"""

ERROR_JS = """() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const out = cells.map(c => [(c.querySelector('.jp-InputArea-prompt') || {}).textContent || '', \
(c.querySelector('.jp-OutputArea') || {}).textContent || '']);
  const bad = out.filter(([p, t]) => /Traceback|Error/.test(t));
  return (bad.length ? bad.map(([p, t]) => p + ' ' + t).join('\\n') \
: 'no traceback shown; outputs of the cells: ' + \
out.map(([p, t]) => p + ' ' + t.slice(0, 300)).join('\\n')).slice(-3000);
}"""

CHECK_JS = """() => {
  const d = document.querySelector('.autojoint-dashboard');
  if (!d) return {dashboard: false};
  const q = s => d.querySelectorAll(s).length;
  const traces = [...d.querySelectorAll('g.scatterlayer g.trace path.js-line')]\
.filter(p => (p.getAttribute('d') || '').length > 4).length;
  const points = d.querySelectorAll('g.scatterlayer g.trace g.points path.point').length;
  return {dashboard: true, svgs: q('svg.main-svg'), heatmaps: q('g.heatmaplayer g.hm'), \
heat_images: q('g.heatmaplayer image'),
          lines: traces, points: points, genotype: q('.aj-genotype svg'), \
replay: document.querySelectorAll('.autojoint-replay').length,
          label: (d.querySelector('.widget-html-content') || {}).textContent || ''};
}"""

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--notebook', default=str(REPO / 'nbs/tutorials/full_gpu_search.ipynb'))
    ap.add_argument('--shot', default=str(REPO / 'docs/_shots/dashboard.png'))
    ap.add_argument('--timeout', type=float, default=300, help='seconds for the whole test')
    a = ap.parse_args()
    t_start = time.time()
    deadline = t_start + a.timeout
    def on_signal(signum, frame):
        raise SystemExit(f'browser test stopped by signal {signum} after {time.time() - t_start:.0f} s')
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, on_signal)
    signal.alarm(int(a.timeout) + 60)   # hard bound, even if a browser call hangs
    nb = Path(a.notebook)
    if not nb.is_file(): fail(f'no notebook at {nb}')
    if not Path(CHROMIUM).exists(): fail(f'{CHROMIUM} is missing: apt-get install -y chromium')
    try: from playwright.sync_api import sync_playwright
    except ImportError:
        fail('playwright is not installed: pip install playwright (the browser itself is Debian\'s chromium)')
    tmp = Path(tempfile.mkdtemp(prefix='aj-browser-'))
    root = tmp / 'root'
    root.mkdir()
    d = json.loads(nb.read_text())   # a copy with an explicit kernel, so JupyterLab does not ask which one to start
    d.setdefault('metadata', {})['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3 (ipykernel)',
                                                  'language': 'python'}
    (root / nb.name).write_text(json.dumps(d))
    port, token = free_port(), secrets.token_hex(16)
    proc, log = start_lab(root, tmp, port, token)
    try:
        wait_for_server(f'http://127.0.0.1:{port}/api/status?token={token}', proc, min(deadline, time.time() + 90))
        print(f'JupyterLab up on port {port} after {time.time() - t_start:.1f} s', flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
            print(f'chromium started ({time.time() - t_start:.1f} s)', flush=True)
            page = browser.new_page(viewport={'width': 1700, 'height': 2600})
            page.on('pageerror', lambda e: print('page error:', e, flush=True))
            page.goto(f'http://127.0.0.1:{port}/lab/tree/{nb.name}?token={token}&reset', timeout=90_000)
            page.wait_for_selector('.jp-Notebook .jp-CodeCell', timeout=90_000)
            print(f'notebook open ({time.time() - t_start:.1f} s)', flush=True)
            page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=60_000,
                                   polling=500)
            print("app exposed", flush=True)
            # wait for the kernel to be ready, then run everything
            page.wait_for_function("""() => { const s = \
document.querySelector('.jp-Notebook-ExecutionIndicator, .jp-KernelStatus');
                                              return !s || \
!/(Connecting|Starting|Unknown)/i.test(s.getAttribute('title') || \
s.textContent || ''); }""", timeout=60_000, polling=500)
            print('kernel ready', flush=True)
            time.sleep(2)
            # not awaited: it resolves at the end
            run_all = "() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }"
            page.evaluate(run_all)
            print('running all cells...', flush=True)
            last = idle_since = None
            t_run, retries = time.time(), 0
            while True:
                st = page.evaluate(COUNT_JS)
                if st != last:
                    print(f"  {st['done']}/{st['n']} cells done, {st['running']} running, {st['errors']} errors  "
                          f"({time.time() - t_start:.0f} s)", flush=True)
                    last = st
                if st['done'] == 0 and st['running'] == 0 and time.time() - t_run > 20 and retries < 3:
                    # the command can be lost while the kernel is still connecting: nothing has run, so issue it again
                    retries += 1
                    t_run = time.time()
                    print(f'  no cell started after 20 s: run-all again ({retries}/3)', flush=True)
                    page.evaluate(run_all)
                if st['errors']: break
                if st['running'] == 0 and st['done'] == st['n'] and st['n'] > 0: break
                if st['running'] == 0 and 0 < st['done'] < st['n']:        # run-all stops at a failing cell
                    idle_since = idle_since or time.time()
                    if time.time() - idle_since > 5:
                        st['errors'] = 1
                        break
                else: idle_since = None
                if time.time() > deadline: fail(f'the notebook did not finish within {a.timeout:.0f} s ({st})')
                time.sleep(1)
            if st['errors']:
                err = page.evaluate(ERROR_JS)
                fail(f'a cell raised an error:\n{err}')
            time.sleep(3)   # let the last widget messages render
            chk = page.evaluate(CHECK_JS)
            print('dashboard:', json.dumps(chk), flush=True)
            shot = Path(a.shot)
            shot.parent.mkdir(parents=True, exist_ok=True)
            # news pop-up
            page.evaluate("() => document.querySelectorAll('.Toastify, .jp-toast-container').forEach(e => e.remove())")
            if chk.get('dashboard'):
                el = page.locator('.autojoint-dashboard').first
                el.scroll_into_view_if_needed()
                el.screenshot(path=str(shot))
            else: page.screenshot(path=str(shot), full_page=True)
            browser.close()
        problems = []
        if not chk.get('dashboard'): problems.append('no dashboard widget (.autojoint-dashboard) was rendered')
        else:
            if chk['heatmaps'] + chk['heat_images'] < 2:
                problems.append(f"heat maps missing (g.heatmaplayer: {chk['heatmaps']} layers, "
                                f"{chk['heat_images']} images)")
            if chk['lines'] < 1 and chk['points'] < 1:
                problems.append('no eta / metric trace was drawn (g.scatterlayer g.trace)')
            if chk['points'] < 1: problems.append('no data points drawn in the eta / metrics plots')
            if chk['genotype'] < 2: problems.append(f"the genotype drawing is missing ({chk['genotype']} cell svgs)")
            if chk['replay'] < 1: problems.append('the replay widget (.autojoint-replay) did not render')
        if problems: fail('; '.join(problems) + f' (screenshot: {shot})')
        print(f'browser test passed in {time.time() - t_start:.1f} s; screenshot {shot}', flush=True)
    except SystemExit: 
        print('--- JupyterLab log (tail) ---\n' + log.read_text()[-2000:], file=sys.stderr)
        raise
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__':
    main()

#!/usr/bin/env python
"""Check the built docs site (docs/) page by page in headless Chromium.

    python tools/build_docs.py && python tools/check_docs.py

Serves docs/ on 127.0.0.1 (a free port), opens every page with Playwright driving Debian's
/usr/bin/chromium (no `playwright install` needed) and checks, per page:
status 200; title (front matter) and prose present; current page highlighted in the sidebar;
every internal link resolves (HTTP 200, and for `#anchor` links the element exists); every <img>
loaded (naturalWidth > 0); maths typeset by the local MathJax (queue finished, MathJax output present
when the source notebook has maths, no raw `$$`/`\\(`/`\\[` left in the text, no TeX errors); plotly
figures drawn; every request stayed on localhost (others are blocked and reported); no failed
local request (e.g. a missing MathJax file); no JavaScript error.
Prints one line per page and 'N passed, N failed'; exits 1 on any failure. Saves full-page
screenshots of the index and of one maths page to docs/_shots/ (git-ignored).
"""
import argparse, functools, html.parser, json, os, re, sys, threading, time, urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, unquote

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT/'docs'
CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync']
SKIP_DIRS = {'mathjax', 'assets', '_shots'}
# maths in notebook sources: $$..$$, $..$ (not \$), \(..\), \[..\], \begin{env}
MATH_SRC_RE = re.compile(r'(?<!\\)\$\$.+?\$\$|(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$|\\\(.+?\\\)|\\\[.+?\\\]'
                         r'|\\begin\{', re.S)

PAGE_JS = r"""
() => {
  const out = {};
  const h1 = document.querySelector('main h1.title');
  out.h1 = h1 ? h1.textContent.trim() : null;
  out.doctitle = document.title;
  const desc = document.querySelector('main p.description');
  out.description = desc ? desc.textContent.trim() : '';
  const art = document.querySelector('main article');
  out.prose = art ? Array.from(art.querySelectorAll('p, li, td')).map(e => e.textContent).join(' ').trim().length : 0;
  const act = document.querySelectorAll('nav.sidebar a.active');
  out.active = Array.from(act).map(a => a.href);
  out.navlinks = document.querySelectorAll('nav.sidebar a').length;
  out.links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
  out.badimgs = Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)
                     .map(i => (i.currentSrc || i.src).slice(0, 80));
  out.nimgs = document.images.length;
  out.mathjax = document.querySelectorAll('.MathJax_CHTML, .mjx-chtml').length;
  out.texerrors = Array.from(document.querySelectorAll('.noError, .MathJax_Error, .merror'))
                       .map(e => e.textContent.trim().slice(0, 80));
  // raw TeX delimiters left in visible text (outside code, scripts and MathJax output)
  const raw = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(n) {
      for (let e = n.parentElement; e; e = e.parentElement) {
        const t = e.tagName;
        if (t === 'PRE' || t === 'CODE' || t === 'SCRIPT' || t === 'STYLE' || t === 'TEXTAREA')
          return NodeFilter.FILTER_REJECT;
        const c = (typeof e.className === 'string') ? e.className : '';
        if (/MathJax|mjx|MJX/.test(c)) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }});
  const re = /\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\s][^$]*?\\[A-Za-z]+[^$]*?\$/;
  for (let n = walker.nextNode(); n; n = walker.nextNode())
    if (re.test(n.data)) raw.push(n.data.trim().slice(0, 80));
  out.rawmath = raw;
  out.plotly = document.querySelectorAll('.plotly-figure').length;
  out.plotly_drawn = document.querySelectorAll('.plotly-figure svg.main-svg').length;
  out.ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id);
  return out;
}
"""

WAIT_MATHJAX_JS = """
(ms) => new Promise((resolve) => {
  if (!window.MathJax || !MathJax.Hub) { resolve('MathJax not loaded'); return; }
  setTimeout(() => resolve('typesetting not finished after ' + ms + ' ms'), ms);
  const t0 = Date.now();
  (function poll() {   // MathJax.isReady: startup (config, jax, initial typeset) is over; then drain the Hub queue
    if (MathJax.isReady) MathJax.Hub.Queue(() => resolve('done'));
    else if (Date.now() - t0 < ms) setTimeout(poll, 20);
  })();
})
"""


class IdCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ('id', 'name') and v: self.ids.add(v)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *a): pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(root):
    httpd = QuietServer(('127.0.0.1', 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f'http://127.0.0.1:{httpd.server_address[1]}/'


def source_has_math(nb_path):
    "Independent of the build: does the notebook's markdown (or a markdown output) contain TeX?"
    try: nb = json.loads(nb_path.read_text())
    except (OSError, ValueError): return None
    for c in nb.get('cells', []):
        src = ''.join(c.get('source', ''))
        if c.get('cell_type') == 'markdown':
            body = re.sub(r'```.*?```|`[^`\n]*`', '', src, flags=re.S)
            if MATH_SRC_RE.search(body): return True
    return False


def main():
    ap = argparse.ArgumentParser(description='Check docs/ in headless Chromium.')
    ap.add_argument('--docs', default=str(DOCS))
    ap.add_argument('--timeout', type=float, default=30, help='seconds per page (load + MathJax)')
    ap.add_argument('--shots', default=None, help='screenshot folder (default docs/_shots)')
    a = ap.parse_args()
    docs = Path(a.docs).resolve()
    shots = Path(a.shots) if a.shots else docs/'_shots'
    t0 = time.time()
    if not (docs/'index.html').exists():
        sys.exit(f'{docs}/index.html not found: build the site first with `python tools/build_docs.py`.')
    if not Path(CHROMIUM).exists():
        sys.exit(f'{CHROMIUM} not found: `apt-get install -y chromium` (or set CHROMIUM=/path/to/chrome).')
    try: from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit('playwright is missing: `pip install playwright` (the browser is /usr/bin/chromium, no `playwright '
                 'install`).')

    manifest = {}
    if (docs/'site.json').exists():
        manifest = {p['out']: p for p in json.loads((docs/'site.json').read_text())['pages']}
    files = sorted(str(p.relative_to(docs)).replace(os.sep, '/') for p in docs.rglob('*.html')
                   if not (set(p.relative_to(docs).parts[:-1]) & SKIP_DIRS))
    order = [o for o in manifest if o in files] + [f for f in files if f not in manifest]
    missing = [o for o in manifest if o not in files]

    idcache = {}
    def ids_of(rel):
        if rel not in idcache:
            p = docs/rel
            c = IdCollector()
            if p.is_file(): c.feed(p.read_text(encoding='utf-8', errors='replace'))
            idcache[rel] = c.ids
        return idcache[rel]

    httpd, base = serve(docs)
    statuses = {}
    def status_of(url):
        if url not in statuses:
            try:
                with urllib.request.urlopen(url, timeout=10) as r: statuses[url] = r.status
            except urllib.error.HTTPError as e: statuses[url] = e.code
            except Exception as e: statuses[url] = repr(e)
        return statuses[url]

    passed, failed, results = 0, 0, []
    nbs = ROOT/'nbs'
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS, headless=True)
        ctx = browser.new_context(viewport={'width': 1280, 'height': 900})
        ctx.set_default_timeout(a.timeout*1000)
        state = {'external': [], 'failed': [], 'errors': []}
        host = urlsplit(base).netloc

        def route(r):
            u = r.request.url
            sp = urlsplit(u)
            if sp.scheme in ('data', 'blob', 'about') or sp.netloc in (host, f'localhost:{httpd.server_address[1]}'):
                r.continue_()
            else:
                state['external'].append(u[:120])
                r.abort()
        ctx.route('**/*', route)
        page = ctx.new_page()
        page.on('pageerror', lambda e: state['errors'].append(f'pageerror: {e}'[:200]))
        page.on('console', lambda m: m.type == 'error' and state['errors'].append(f'console: {m.text}'[:200]))
        page.on('response', lambda r: r.status >= 400 and state['failed'].append(
            f'{r.status} {r.url[len(base):] if r.url.startswith(base) else r.url}'))
        page.on('requestfailed', lambda r: urlsplit(r.url).netloc == host and state['failed'].append(
            f'failed {r.url[len(base):]}: {r.failure}'))

        math_shot = None
        for rel in order:
            t = time.time()
            for k in state: state[k] = []
            problems = []
            meta = manifest.get(rel, {})
            url = base + rel
            try:
                resp = page.goto(url, wait_until='load')
                if resp is None or resp.status != 200: problems.append(f'status {resp.status if resp else None}')
                mj = page.evaluate(WAIT_MATHJAX_JS, int(a.timeout*1000*0.8))
                if mj != 'done': problems.append(f'MathJax: {mj}')
                if page.locator('.plotly-figure').count():
                    try:
                        page.wait_for_function("() => Array.from(document.querySelectorAll('.plotly-figure')).every(d "
                                               "=> d.querySelector('svg.main-svg'))", timeout=10000)
                    except Exception: pass
                # large embedded PNGs decode asynchronously: wait for every image (a broken one rejects and is reported
                # below)
                page.evaluate("() => Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)))")
                info = page.evaluate(PAGE_JS)
            except Exception as e:
                problems.append(f'exception: {str(e).splitlines()[0][:200]}')
                info = None
            if info:
                want = meta.get('title')
                if not info['h1']: problems.append('no <h1 class="title">')
                elif want and info['h1'] != want: problems.append(f'title {info["h1"]!r} != front matter {want!r}')
                if info['h1'] and info['h1'] not in info['doctitle']:
                    problems.append(f'<title> {info["doctitle"]!r} lacks the page title')
                if meta.get('description') and not info['description']: problems.append('summary (description) missing')
                if info['prose'] < 10: problems.append('no prose (paragraphs) in the page body')
                if len(info['active']) != 1 or info['active'][0].split('#')[0] != url:
                    problems.append(f'sidebar highlight wrong: {info["active"]}')
                if info['navlinks'] < len(manifest) and manifest:
                    problems.append(f'sidebar has {info["navlinks"]} links for {len(manifest)} pages')
                # internal links
                bad = []
                for href in sorted(set(info['links'])):
                    sp = urlsplit(href)
                    if sp.scheme not in ('http', 'https') or sp.netloc != host: continue
                    target = href.split('#')[0]
                    st = status_of(target)
                    if st != 200:
                        bad.append(f'{href[len(base):]} -> {st}')
                        continue
                    if sp.fragment:
                        frag = unquote(sp.fragment)
                        trel = unquote(sp.path.lstrip('/'))
                        if trel.endswith('/') or not trel: trel += 'index.html'
                        ids = set(info['ids']) if target == url else ids_of(trel)
                        if frag not in ids: bad.append(f'{href[len(base):]} -> no element #{frag}')
                if bad: problems.append(f'{len(bad)} broken link(s): ' + '; '.join(bad[:5]))
                if info['badimgs']:
                    problems.append(f'{len(info["badimgs"])} image(s) not loaded: {info["badimgs"][:3]}')
                has_math = source_has_math(nbs/meta['nb']) if meta.get('nb') else None
                if has_math and info['mathjax'] == 0:
                    problems.append('source has maths but no MathJax output on the page')
                if info['rawmath']: problems.append(f'raw TeX left in text: {info["rawmath"][:3]}')
                if info['texerrors']: problems.append(f'TeX errors: {info["texerrors"][:3]}')
                if info['plotly'] and info['plotly_drawn'] < info['plotly']:
                    problems.append(f'{info["plotly"] - info["plotly_drawn"]} plotly figure(s) not drawn')
            if state['external']:
                problems.append(f'{len(state["external"])} external request(s) blocked: {state["external"][:3]}')
            if state['failed']: problems.append(f'failed request(s): {state["failed"][:3]}')
            if state['errors']: problems.append(f'JS error(s): {state["errors"][:3]}')
            # screenshots (taken whatever the result): the index, and the page with the most maths
            if info:
                shots.mkdir(parents=True, exist_ok=True)
                if rel == 'index.html': page.screenshot(path=str(shots/'index.png'), full_page=True)
                elif info['mathjax'] and (math_shot is None or info['mathjax'] > math_shot[1]):
                    math_shot = (rel, info['mathjax'])
                    for old in shots.glob('math_*.png'): old.unlink()
                    page.screenshot(path=str(shots/f'math_{rel.replace("/", "_").replace(".html", "")}.png'),
                                    full_page=True)
            dt = time.time() - t
            extra = f'{info["mathjax"]} maths, {info["nimgs"]} img, {len(set(info["links"]))} links' if info else ''
            if problems:
                failed += 1
                print(f'FAIL {rel:<32} {dt:5.1f}s  ' + ' | '.join(problems), flush=True)
            else:
                passed += 1
                print(f'ok   {rel:<32} {dt:5.1f}s  {extra}', flush=True)
        # on a phone the page's content comes first and the site navigation after it
        phone = browser.new_context(viewport={'width': 390, 'height': 844})
        phone.route('**/*', route)
        pp = phone.new_page()
        for rel in order[:3]:
            pp.goto(base + rel, wait_until='load')
            top = pp.evaluate("() => document.querySelector('main h1.title').getBoundingClientRect().top")
            if top > 844:
                failed += 1
                print(f'FAIL {rel:<32} phone: the title starts at {top:.0f} px, below the first screen', flush=True)
            else:
                passed += 1
                print(f'ok   {rel:<32} phone (390 px): the title starts at {top:.0f} px', flush=True)
        phone.close()
        browser.close()
    httpd.shutdown()
    for m in missing:
        failed += 1
        print(f'FAIL {m:<32}   listed in site.json but the file is missing')
    print(f'{passed} passed, {failed} failed ({time.time()-t0:.1f} s); screenshots in {shots}')
    sys.exit(1 if failed or not passed else 0)


if __name__ == '__main__':
    main()

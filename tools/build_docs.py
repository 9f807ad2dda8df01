#!/usr/bin/env python
"""Build the documentation site in `docs/` offline, without Quarto.

    python tools/build_docs.py            # process changed notebooks, render every page
    python tools/build_docs.py --force    # re-process every notebook (ignore nbdev's _proc cache)

Step 1 runs nbdev's notebook processor (`nbdev.serve.proc_nbs`, the part of `nbdev_proc_nbs` that
matters): every notebook is copied to `_proc/` with its front matter parsed, `#| hide` cells removed,
`#| export` cells replaced by rendered `show_doc` output and symbols linked. It runs exported cells,
imports and show_doc cells, and caches by file time. We call it directly because the `nbdev_proc_nbs`
CLI of nbdev 2.4.14 also tries to install Quarto, rewrites nbs/nbdev.yml and, unless settings.ini says
`custom_sidebar = True`, overwrites nbs/sidebar.yml.

Step 2 converts each processed notebook, in the order of nbs/sidebar.yml (the single source of page
order; notebooks that do not exist yet are skipped with a warning), to HTML with nbconvert and wraps it
in a page with a sidebar, prev/next links, the title and summary, a local MathJax 2.7 (copied from
Debian's libjs-mathjax) and a plain stylesheet. Page names follow nbdev/Quarto (`00_ops.ipynb` ->
`ops.html`, `index.ipynb` -> `index.html`, `tutorials/x.ipynb` -> `tutorials/x.html`), so links made by
nbdev (`https://<doc_host><doc_baseurl>/ops.html#make_op`) and `[text](00_ops.ipynb#anchor)` links
both become relative links inside the site. Heading ids follow pandoc's rules, as on the Quarto site.

Everything under docs/ except docs/README.md is build output (git-ignored) and is rewritten on each run.
"""
import argparse, configparser, html, json, os, posixpath, re, shutil, sys, time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT/'docs'
KEEP = {'README.md', '_shots'}          # docs/ entries that are not rebuilt
MATHJAX_SRC = Path('/usr/share/javascript/mathjax')
# The subset of MathJax 2.7 the site loads: TeX input, CommonHTML output (+ its woff fonts), the MathML
# element jax both need, tex2jax and the TeX extensions the config names (the check fails on any 404).
MATHJAX_FILES = ['MathJax.js', 'extensions/tex2jax.js', 'extensions/MathEvents.js', 'extensions/MathMenu.js',
                 'extensions/MathZoom.js', 'extensions/TeX', 'jax/input/TeX', 'jax/element/mml',
                 'jax/output/CommonHTML', 'fonts/HTML-CSS/TeX/woff']
MATHJAX_CONFIG = """MathJax.Hub.Config({
  jax: ["input/TeX", "output/CommonHTML"],
  extensions: ["tex2jax.js"],
  TeX: {extensions: ["AMSmath.js", "AMSsymbols.js", "noErrors.js", "noUndefined.js", "boldsymbol.js"],
        equationNumbers: {autoNumber: "none"}},
  tex2jax: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]],
            processEscapes: true, processEnvironments: true,
            skipTags: ["script", "noscript", "style", "textarea", "pre", "code"]},
  CommonHTML: {linebreaks: {automatic: false}},
  showMathMenu: false, showProcessingMessages: false, messageStyle: "none",
  menuSettings: {zoom: "None"}
});"""
MATH_RE = re.compile(r'(?<!\\)\$\$.+?\$\$|(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$|\\\(.+?\\\)|\\\[.+?\\\]|\\begin\{',
                     re.S)
OUT_HTML_BAD = re.compile(r'<script|<link\b|\bsrc\s*=\s*["\']?(?:https?:)?//|@import', re.I)


def log(*a): print('[build_docs]', *a, flush=True)
def warn(*a): print('[build_docs] WARNING:', *a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- settings, sidebar
def read_settings():
    cp = configparser.ConfigParser(interpolation=configparser.ExtendedInterpolation())
    cp.read(ROOT/'settings.ini')
    d = cp['DEFAULT']
    get = lambda k, dflt='': (d.get(k, dflt).replace('%(lib_name)s', d.get('lib_name', ''))
                              .replace('%(repo)s', d.get('repo', '')))
    return dict(nbs_path=get('nbs_path', 'nbs'), title=get('title') or get('repo'), description=get('description'),
                doc_url=(get('doc_host').rstrip('/') + '/' + get('doc_baseurl').strip('/')).rstrip('/') + '/',
                git_url=get('git_url'))


def read_sidebar(path):
    "`[(section or None, notebook path relative to nbs/)]` in sidebar order."
    import yaml
    if not path.exists():
        raise FileNotFoundError(f'{path} is missing: it lists the pages in order (see nbs/sidebar.yml in git).')
    data = yaml.safe_load(path.read_text()) or {}
    try: contents = data['website']['sidebar']['contents']
    except (KeyError, TypeError): raise ValueError(f'{path}: expected website: sidebar: contents: [...]')
    entries = []
    def walk(items, section):
        for it in items if isinstance(items, list) else [items]:
            if isinstance(it, str): entries.append((section, it))
            elif isinstance(it, dict) and 'contents' in it:
                walk(it['contents'], it.get('section') or it.get('text') or section)
            elif isinstance(it, dict) and 'href' in it: entries.append((section, it['href']))
            elif isinstance(it, dict) and 'section' in it and isinstance(it['section'], str) \
                    and it['section'].endswith('.ipynb'):
                entries.append((section, it['section']))
            else: warn(f'{path.name}: ignoring sidebar entry {it!r}')
    walk(contents, None)
    return entries


# ---------------------------------------------------------------- step 1: nbdev processing
def _proc_one(item):
    "Pool worker: nbdev's per-notebook processor, timed; returns (seconds, error summary or None)."
    import nbdev.serve_drv
    t = time.time()
    try:
        nbdev.serve_drv.main(item)
        return time.time() - t, None
    except Exception as e: return time.time() - t, short_error(e)


def short_error(e):
    "One-paragraph summary of nbdev's 'Error in notebook ... in cell N' exception and the cell's own error."
    text, c = str(e).strip(), e.__cause__
    m = re.search(r'in cell (\d+) :\n(.*)', text)
    where = f'cell {m.group(1)} ({m.group(2).strip()[:70]!r}...)' if m else (text.splitlines() or ['?'])[0][:120]
    if c is None: what = f'{type(e).__name__}: {(text.splitlines() or [""])[0]}'
    elif type(c).__name__ == '_RemoteTraceback':
        errs = re.findall(r'^(\w+(?:Error|Exception|Exit|Interrupt)\b:?.*)$', str(c), re.M)
        what = errs[0] if errs else str(c).strip().splitlines()[-1]
    else: what = f'{type(c).__name__}: {c}'
    return f'nbdev processing failed at {where}: {what[:300]}'


def run_nbdev_proc(nbs, force=False, n_workers=None):
    """nbdev 2.4.14's `proc_nbs` (the same processors, `nbdev.serve_drv.main`, writing `_proc/`), with two changes:
    the cache is keyed on each notebook's content (nbdev compares file times with the time of its last run, so an
    edit made while a run is going on is never picked up), and one failing notebook does not stop the others.
    Returns (cache dir, {notebook path: error message})."""
    import hashlib
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp
    import nbdev, nbdev.serve_drv
    from nbdev.config import get_config
    from nbdev.doclinks import nbglob
    from nbdev.processors import FilterDefaults
    t = time.time()
    os.chdir(ROOT)
    cfg = get_config()
    cache = cfg.config_path/'_proc'
    keyfile = cache/'.build_docs_keys.json'
    salt = hashlib.sha1(cfg.config_file.read_bytes() + nbdev.__version__.encode()).hexdigest()
    keys = {}
    if keyfile.exists() and not force:
        try: keys = json.loads(keyfile.read_text())
        except ValueError: keys = {}
    files = nbglob(nbs, func=Path)
    work, new_keys = [], {}
    for src in files:
        rel = src.relative_to(nbs).as_posix()
        dst = cache/rel
        key = hashlib.sha1(src.read_bytes() + salt.encode()).hexdigest()
        new_keys[rel] = key
        if keys.get(rel) == key and dst.exists(): continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        work.append((src, dst, FilterDefaults))
    errors, timings = {}, []
    if work:
        n = n_workers or min(len(work), os.cpu_count() or 1)
        # workers inherit this: nbdev's per-cell "imports and other code" warning is summarised after the errors instead
        os.environ['PYTHONWARNINGS'] = 'ignore:Found cells containing imports and other code'
        with ProcessPoolExecutor(n, mp_context=mp.get_context('spawn')) as ex:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            import build_docs as this                # importable by name, so spawned workers can unpickle the task
            futs = [(w, ex.submit(this._proc_one, w)) for w in work]
            for (src, dst, _), f in futs:
                dt, err = f.result()
                rel = src.relative_to(nbs).as_posix()
                timings.append((dt, rel))
                if err:
                    errors[rel] = err
                    new_keys.pop(rel, None)
                    if Path(dst).exists(): Path(dst).unlink()   # never publish a stale page for a broken notebook
    keyfile.write_text(json.dumps(new_keys, indent=0, sort_keys=True))
    slow = ', '.join(f'{r} {d:.1f}s' for d, r in sorted(timings, reverse=True)[:5])
    log(f'nbdev processing: {len(work)} changed notebook(s) -> {cache.relative_to(ROOT)}/ in {time.time()-t:.1f} s'
        + (f' (slowest: {slow})' if work else ' (all cached)'))
    for rel, err in errors.items():
        print(f'[build_docs] ERROR: nbs/{rel}: {err}', file=sys.stderr, flush=True)
    if errors:
        print('[build_docs] nbdev\'s docs step (also `nbdev_docs` for Quarto users) runs every `#| export` cell, '
              'every show_doc cell and every cell that contains an import, in order and without the other cells: '
              'keep imports in cells of their own (or define what such a cell needs in it), and keep those cells '
              'cheap.', file=sys.stderr, flush=True)
    return cache, errors


def nb_frontmatter(nb):
    "Front matter dict from the raw cell nbdev's FrontmatterProc writes first."
    import yaml
    for c in nb.cells:
        if c.cell_type == 'raw':
            m = re.match(r'\s*---\n(.*?)\n---', c.source, re.S)
            if m:
                try: return yaml.safe_load(m.group(1)) or {}
                except yaml.YAMLError as e: warn(f'bad front matter: {e}')
        break
    return {}


def html_name(nb_rel):
    "nbdev's page name for a notebook path: '00_ops.ipynb' -> 'ops.html' (used when front matter lacks it)."
    d, name = posixpath.split(nb_rel)
    name = re.sub(r'^\d+[a-zA-Z0-9]*_', '', posixpath.splitext(name)[0].lower()) + '.html'
    return posixpath.join(d, name) if d else name


# ---------------------------------------------------------------- notebook clean-up before nbconvert
DIRECTIVE_RE = re.compile(r'^\s*#\s*\|\s*([\w-]+)\s*(?::\s*(.*?))?\s*$')

def cell_directives(src):
    "Split leading `#| key: value` lines off a code cell: (dict, remaining source)."
    lines, opts = src.splitlines(), {}
    keep = []
    for i, l in enumerate(lines):
        m = DIRECTIVE_RE.match(l)
        if m: opts[m.group(1).lower()] = (m.group(2) or 'true').strip().strip('"\'').lower()
        else: keep.append(l)
    return opts, '\n'.join(keep).strip('\n')


CALLOUT_OPEN = re.compile(r'^:::+\s*\{\s*\.callout-(\w+)[^}]*\}\s*$')
CALLOUT_CLOSE = re.compile(r'^:::+\s*$')

CODE_SPLIT = re.compile(r'(```.*?```|~~~.*?~~~|(`+)[^`].*?\2)', re.S)

def md_escape_dollars(src):
    ("Keep `\\$` literal: markdown would eat the backslash and MathJax then sees a delimiter; `\\\\\\$` renders "
     "as `\\$`.")
    parts = CODE_SPLIT.split(src)
    out, i = [], 0
    while i < len(parts):
        out.append(re.sub(r'(?<!\\)\\\$', lambda m: '\\\\\\$', parts[i]))
        if i + 1 < len(parts): out.append(parts[i+1])
        i += 3
    return ''.join(out)


def md_quarto_to_html(src):
    "Quarto callouts `::: {.callout-note}` ... `:::` -> divs whose body markdown still renders."
    out, depth = [], 0
    for l in src.splitlines():
        m = CALLOUT_OPEN.match(l.strip())
        if m:
            out += [f'<div class="callout callout-{m.group(1)}">', '']
            depth += 1
        elif depth and CALLOUT_CLOSE.match(l.strip()):
            out += ['', '</div>']
            depth -= 1
        else: out.append(l)
    return '\n'.join(out + ['', '</div>'] * depth)


PANDOC_LINK_ATTRS = re.compile(r'\[([^\]\n]+)\]\(([^)\s]+)\)\{([^}\n]*)\}')

def md_pandoc_link_attrs(src):
    "`[source](url){target=\"_blank\" style=...}` (nbdev's show_doc source link, pandoc syntax) -> an HTML link."
    def sub(m):
        text, url, attrs = m.groups()
        cls = ' '.join(re.findall(r'\.([\w-]+)', re.sub(r'"[^"]*"', '', attrs)))
        if 'float:right' in attrs.replace(' ', ''): cls = (cls + ' float-right').strip()
        tgt = ' target="_blank" rel="noopener"' if 'target="_blank"' in attrs else ''
        return f'<a href="{html.escape(url)}" class="{cls}"{tgt}>{text}</a>'
    return PANDOC_LINK_ATTRS.sub(sub, src)


PLOTLY_MIME, WIDGET_MIME = 'application/vnd.plotly.v1+json', 'application/vnd.jupyter.widget-view+json'

def clean_outputs(outputs, page):
    "Make outputs static and offline: local plotly.js for plotly figures, notes for widgets, no CDN scripts."
    res = []
    for o in outputs:
        data = o.get('data')
        if o.get('output_type') in ('display_data', 'execute_result') and not data: continue
        if not data:
            res.append(o)
            continue
        if PLOTLY_MIME in data:
            page['plotly'] = True
            fig = data[PLOTLY_MIME]
            if isinstance(fig, str): fig = json.loads(fig)
            div = f'plotly-{page["slug"]}-{page["n_plotly"]}'
            page['n_plotly'] += 1
            js = json.dumps(fig).replace('</', '<\\/')
            o['data'] = {'text/html': f'<div id="{div}" class="plotly-figure"></div>\n'
                                      '<script>window.addEventListener("load", function(){'
                                      f'var f={js}; Plotly.newPlot("{div}", f.data || [], f.layout || {{}}, '
                                      'Object.assign({responsive: true, displaylogo: false}, f.config || {}));'
                                      '});</script>'}
            o.setdefault('metadata', {})
            res.append(o)
            continue
        if WIDGET_MIME in data:
            keep = {k: v for k, v in data.items() if k.startswith('image/')}
            note = '<div class="widget-note">Interactive widget: run the notebook in Jupyter to use it.</div>'
            o['data'] = keep or {'text/html': note}
            res.append(o)
            continue
        h = data.get('text/html')
        if h is not None:
            h = ''.join(h) if isinstance(h, list) else h
            if OUT_HTML_BAD.search(h):
                others = {k: v for k, v in data.items() if k != 'text/html' and k != 'application/javascript'}
                if 'plotly' in h.lower() and not any(k.startswith('image/') for k in others): continue  # plotly.js
                if others: o['data'] = others
                else:
                    o['data'] = {'text/html': '<div class="widget-note">Scripted HTML output omitted in the static '
                                              'docs: run the notebook to see it.</div>'}
        data = o['data']
        if 'application/javascript' in data and len(data) > 1: data.pop('application/javascript')
        elif 'application/javascript' in data: continue
        res.append(o)
    return res


def prepare_nb(nb, page):
    "Drop the front matter cell, apply Quarto cell options (echo/output/include), clean outputs."
    cells = []
    for c in nb.cells:
        if c.cell_type == 'raw': continue
        if c.cell_type == 'markdown':
            s = c.source.strip()
            if not s or re.fullmatch(r'<!--.*?-->', s, re.S): continue
            c.source = md_pandoc_link_attrs(md_escape_dollars(md_quarto_to_html(c.source)))
            page['math'] |= bool(MATH_RE.search(c.source))
            cells.append(c)
            continue
        opts, src = cell_directives(c.source)
        if opts.get('include') == 'false' or 'hide' in opts: continue
        c.source = src
        c.metadata = {k: v for k, v in c.metadata.items() if k not in ('tags', 'transient')}
        tags = []
        if opts.get('echo') == 'false' or not src.strip(): tags.append('remove_input')
        if opts.get('output') == 'false': c.outputs = []
        c.outputs = clean_outputs(c.get('outputs', []), page)
        for o in c.outputs:
            d = o.get('data') or {}
            if 'text/markdown' in d:
                md = ''.join(d['text/markdown']) if isinstance(d['text/markdown'], list) else d['text/markdown']
                d['text/markdown'] = md_pandoc_link_attrs(md)
        for o in c.outputs:
            md = (o.get('data') or {}).get('text/markdown') or (o.get('data') or {}).get('text/latex')
            if md: page['math'] |= bool(MATH_RE.search(''.join(md) if isinstance(md, list) else md))
        if 'remove_input' in tags and not c.outputs: continue
        if tags: c.metadata['tags'] = tags
        cells.append(c)
    nb.cells = cells
    nb.metadata.pop('widgets', None)
    return nb


# ---------------------------------------------------------------- HTML post-processing
def pandoc_slug(text):
    "Pandoc's auto identifier: drop non-alphanumerics except _-. , spaces -> '-', lowercase, start at a letter."
    t = re.sub(r'<[^>]+>', '', text)
    t = html.unescape(t).replace('¶', '').strip().lower()
    t = re.sub(r'[^\w\s.-]', '', t)
    t = re.sub(r'\s+', '-', t)
    t = re.sub(r'^[^a-z]+', '', t)
    return t or 'section'


HEADING_RE = re.compile(r'<h([1-6])(\s[^>]*)?>(.*?)</h\1>', re.S)

def fix_headings(body):
    "Quarto-compatible heading ids + a hover anchor link; returns (html, list of ids)."
    seen = {}
    def sub(m):
        level, attrs, inner = m.group(1), m.group(2) or '', m.group(3)
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', '', inner, flags=re.S)
        attrs = re.sub(r'\sid="[^"]*"', '', attrs)
        slug = pandoc_slug(inner)
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        if n: slug = f'{slug}-{n}'
        return (f'<h{level} id="{html.escape(slug)}"{attrs}>{inner}<a class="anchor-link" href="#{html.escape(slug)}" '
                f'aria-label="link to this section">#</a></h{level}>')
    return HEADING_RE.sub(sub, body), list(seen)


HREF_RE = re.compile(r'(\s(?:href|src))="([^"]*)"')
LINK_TAG_RE = re.compile(r'<(?:a|img|source|video|audio|iframe|embed|link)\b[^>]*>', re.I)

DOCLINK_RE = re.compile(r'href="([^"#]*)#([^"]*)" data-doclink="([^"]*)"')

def fix_doclink_anchors(body, ids_by_out):
    """nbdev links every exported symbol, documented or not: `#searchcell.forward` may have no heading. Point such a
    link at the nearest documented parent (`#searchcell`), else at the page itself (Quarto would leave it dangling)."""
    def sub(m):
        href, frag, target = m.group(1), html.unescape(m.group(2)), html.unescape(m.group(3))
        ids = ids_by_out.get(target)
        if ids is None or frag in ids: return m.group(0)
        parts = frag.split('.')
        while parts and '.'.join(parts) not in ids: parts.pop()
        new = f'{href}#{html.escape(".".join(parts))}' if parts else (href or '#')
        return f'href="{new}" data-doclink="{m.group(3)}"'
    return DOCLINK_RE.sub(sub, body)


def rewrite_links(body, page, pages_by_nb, doc_url, nbs):
    "`x.ipynb#a` and nbdev doc links -> relative site links; copy local images next to the page."
    here = posixpath.dirname(page['out'])
    def rel(target): return posixpath.relpath(target, here or '.') if target else ''
    def sub(m):
        attr, url = m.group(1), html.unescape(m.group(2))
        if url.startswith(doc_url):                                     # nbdev doc link to this site
            path, _, frag = url[len(doc_url):].partition('#')
            path = path or 'index.html'
            return (f'{attr}="{html.escape(rel(path) + ("#" + frag if frag else ""))}" '
                    f'data-doclink="{html.escape(path)}"')
        sp = urlsplit(url)
        if sp.scheme or url.startswith(('#', '//', 'data:', 'mailto:')): return m.group(0)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page['nb']), unquote(sp.path)))
        if sp.path.endswith('.ipynb'):
            p = pages_by_nb.get(target)
            if p is None:
                warn(f'{page["nb"]}: link to {sp.path} which is not a built page '
                     '(missing notebook or not in sidebar.yml)')
                out = html_name(target)
            else: out = p['out']
            return f'{attr}="{html.escape(rel(out) + ("#" + sp.fragment if sp.fragment else ""))}"'
        if attr.strip() == 'src' and sp.path:                          # local image/file next to the notebook
            src = nbs/target
            if src.is_file():
                dst = DOCS/target
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
            else: warn(f'{page["nb"]}: {sp.path} not found next to the notebook')
        return m.group(0)
    return LINK_TAG_RE.sub(lambda t: HREF_RE.sub(sub, t.group(0)), body)


# ---------------------------------------------------------------- page shell
CSS = """
:root { --fg:#1f2328; --muted:#59636e; --accent:#2f6fb0; --bg-code:#f6f8fa; --border:#d8dee4; --side:17rem; }
* { box-sizing: border-box; }
html { scroll-padding-top: 1rem; }
body { margin:0; color:var(--fg); background: \
linear-gradient(to right, #fafbfc calc(var(--side) - 1px), var(--border) calc(var(--side) - 1px), \
var(--border) var(--side), #fff var(--side)); \
font: 16px/1.6 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
nav.sidebar { position: fixed; top:0; left:0; bottom:0; width: var(--side); overflow-y:auto; padding: 1.2rem 1rem;
  background:#fafbfc; border-right:1px solid var(--border); font-size: .92rem; }
nav.sidebar .site-title { font-weight:700; font-size:1.25rem; display:block; margin-bottom:.2rem; color:var(--fg); }
nav.sidebar .site-desc { color:var(--muted); font-size:.8rem; line-height:1.35; margin:0 0 1rem; }
nav.sidebar .section { margin:1rem 0 .3rem; font-weight:600; color:var(--muted); \
text-transform:uppercase; font-size:.75rem; letter-spacing:.04em; }
nav.sidebar ul { list-style:none; padding:0; margin:0; }
nav.sidebar li a { display:block; padding:.18rem .5rem; border-radius:4px; color:var(--fg); }
nav.sidebar li a:hover { background:#eef1f4; text-decoration:none; }
nav.sidebar li a.active { background: var(--accent); color:#fff; font-weight:600; }
main { margin-left: var(--side); padding: 1.5rem 2.5rem 3rem; max-width: calc(var(--side) + 58rem); }
main > header h1.title { margin: .2rem 0 .3rem; font-size: 2.1rem; line-height:1.2; }
main > header p.description { margin:0 0 1.5rem; color:var(--muted); font-size:1.15rem; font-style: italic; }
h1, h2, h3, h4 { line-height:1.25; margin: 1.6rem 0 .6rem; }
h2 { border-bottom:1px solid var(--border); padding-bottom:.25rem; }
.anchor-link { visibility:hidden; margin-left:.35rem; color: var(--muted); font-weight:400; }
h1:hover .anchor-link, h2:hover .anchor-link, h3:hover .anchor-link, h4:hover .anchor-link { visibility:visible; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; \
font-size: .88rem; }
:not(pre) > code { background: var(--bg-code); padding: .1em .3em; border-radius: 4px; }
pre { background: var(--bg-code); padding: .7rem .9rem; border-radius: 6px; overflow-x: auto; \
margin: 0 0 .4rem; line-height:1.45; }
.cell { margin: 0 0 1rem; }
.prompt { display:none; }
.input_area pre, .highlight pre { background: var(--bg-code); }
.output_area pre, .output_subarea > pre { background: #fff; border-left: 3px solid #e8b4a0; border-radius: 0; \
padding: .3rem .9rem; }
.output_stderr pre { background:#fff5f5; border-left-color:#d66; }
.output_area img, .output_subarea img, .text_cell_render img { max-width: 100%; height: auto; }
.output_png, .output_svg, .output_jpeg { margin: .3rem 0; }
.output_markdown hr, .output_area hr { border:0; border-top:1px solid var(--border); margin: 1.5rem 0 .5rem; }
.output_markdown h3, .output_markdown h4 { margin-top: .4rem; font-family: ui-monospace, Menlo, Consolas, monospace; }
table { border-collapse: collapse; margin: .6rem 0; font-size:.93rem; }
th, td { border: 1px solid var(--border); padding: .3rem .6rem; text-align:left; }
th { background: #f3f5f7; }
blockquote { margin: .8rem 0; padding: .2rem 1rem; border-left: 4px solid var(--border); color: var(--muted); }
.callout { border-left: 4px solid var(--accent); background:#f3f7fc; padding:.3rem 1rem; margin: 1rem 0; \
border-radius:0 6px 6px 0; }
.callout-warning, .callout-caution { border-left-color:#d9a400; background:#fdf8e6; }
.callout-important { border-left-color:#c33; background:#fcf0f0; }
.callout-tip { border-left-color:#2a8a4a; background:#eff8f1; }
.float-right { float:right; font-size: .85rem; }
.widget-note { color: var(--muted); font-style: italic; border:1px dashed var(--border); padding:.4rem .8rem; \
border-radius:6px; }
.plotly-figure { width:100%; min-height: 420px; }
.MathJax_CHTML_Display, .MJXc-display { overflow-x: auto; overflow-y: hidden; }
nav.pager { display:flex; justify-content: space-between; gap:1rem; margin-top: 3rem; \
padding-top:1rem; border-top:1px solid var(--border); }
nav.pager a { display:block; padding:.6rem .9rem; border:1px solid var(--border); border-radius:6px; max-width:48%; }
nav.pager a.next { margin-left:auto; text-align:right; }
nav.pager small { display:block; color: var(--muted); }
footer.site { margin-top:2rem; color:var(--muted); font-size:.8rem; }
@media (max-width: 900px) { nav.sidebar { position: static; width:auto; order: 2; \
border-right:0; border-top:1px solid var(--border); }
  main { margin-left:0; padding: 1rem; order: 1; } body { background:#fff; display:flex; flex-direction:column; }
  footer.site { order: 3; } }
"""


def sidebar_html(pages, cur, cfg):
    here = posixpath.dirname(cur['out'])
    rel = lambda p: posixpath.relpath(p, here or '.')
    out = ['<nav class="sidebar" aria-label="Site navigation"><a class="site-title" '
           f'href="{rel("index.html")}">{html.escape(cfg["title"])}</a>',
           f'<p class="site-desc">{html.escape(cfg["description"])}</p>']
    section, open_ul = object(), False
    for p in pages:
        if p['section'] != section:
            if open_ul: out.append('</ul>')
            section = p['section']
            if section: out.append(f'<div class="section">{html.escape(section)}</div>')
            out.append('<ul>')
            open_ul = True
        active = ' class="active" aria-current="page"' if p is cur else ''
        out.append(f'<li><a href="{rel(p["out"])}"{active}>{html.escape(p["title"])}</a></li>')
    if open_ul: out.append('</ul>')
    out.append('</nav>')
    return '\n'.join(out)


def page_html(p, body, pages, cfg):
    here = posixpath.dirname(p['out'])
    rel = lambda x: posixpath.relpath(x, here or '.')
    i = pages.index(p)
    prev, nxt = (pages[i-1] if i else None), (pages[i+1] if i+1 < len(pages) else None)
    pager = '<nav class="pager" aria-label="Previous and next page">'
    if prev:
        pager += (f'<a class="prev" rel="prev" href="{rel(prev["out"])}">'
                  f'<small>&larr; Previous</small>{html.escape(prev["title"])}</a>')
    if nxt:
        pager += (f'<a class="next" rel="next" href="{rel(nxt["out"])}">'
                  f'<small>Next &rarr;</small>{html.escape(nxt["title"])}</a>')
    pager += '</nav>'
    desc = f'<p class="description">{html.escape(p["description"])}</p>' if p['description'] else ''
    plotly = f'<script src="{rel("assets/plotly.min.js")}"></script>\n' if p['plotly'] else ''
    title = p['title'] if p['title'] == cfg['title'] else f'{p["title"]} – {cfg["title"]}'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<meta name="description" content="{html.escape(p['description'] or cfg['description'])}">
<link rel="stylesheet" href="{rel('assets/site.css')}">
<link rel="stylesheet" href="{rel('assets/pygments.css')}">
<script type="text/x-mathjax-config">
{MATHJAX_CONFIG}
</script>
<script src="{rel('mathjax/MathJax.js')}"></script>
{plotly}</head>
<body data-source="{html.escape(p['nb'])}" data-has-math="{str(p['math']).lower()}">
{sidebar_html(pages, p, cfg)}
<main>
<header>
<h1 class="title">{html.escape(p['title'])}</h1>
{desc}
</header>
<article class="content">
{body}
</article>
{pager}
<footer class="site">Built from <code>nbs/{html.escape(p['nb'])}</code> by <code>tools/build_docs.py</code>.</footer>
</main>
</body>
</html>
"""


# ---------------------------------------------------------------- assets
def copy_mathjax():
    if not (MATHJAX_SRC/'MathJax.js').exists():
        raise FileNotFoundError(f'{MATHJAX_SRC}/MathJax.js not found: '
                                'install MathJax 2.7 with `apt-get install -y libjs-mathjax`.')
    dst = DOCS/'mathjax'
    for rel in MATHJAX_FILES:
        s, d = MATHJAX_SRC/rel, dst/rel
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir(): shutil.copytree(s, d, dirs_exist_ok=True)
        else: shutil.copy2(s, d)


def write_assets(need_plotly):
    from pygments.formatters import HtmlFormatter
    a = DOCS/'assets'
    a.mkdir(parents=True, exist_ok=True)
    (a/'site.css').write_text(CSS.lstrip())
    (a/'pygments.css').write_text(HtmlFormatter(style='default').get_style_defs('.highlight') + '\n')
    if need_plotly:
        import plotly
        js = Path(plotly.__file__).parent/'package_data'/'plotly.min.js'
        if js.exists(): shutil.copy2(js, a/'plotly.min.js')
        else: warn('plotly.min.js not found in the plotly package: plotly figures will not render')


def clean_docs():
    DOCS.mkdir(exist_ok=True)
    for p in DOCS.iterdir():
        if p.name in KEEP: continue
        shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()


# ---------------------------------------------------------------- main
def build(force=False, skip_proc=False):
    t0 = time.time()
    cfg = read_settings()
    nbs = ROOT/cfg['nbs_path']
    entries = read_sidebar(nbs/'sidebar.yml')
    cache, errors = (ROOT/'_proc', {}) if skip_proc else run_nbdev_proc(nbs, force=force)
    t1 = time.time()

    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    c = Config()
    c.HTMLExporter.template_name = 'basic'
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.anchor_link_text = ''
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {'remove_input'}
    exporter = HTMLExporter(config=c)

    pages, seen = [], set()
    for section, nb_rel in entries:
        nb_rel = posixpath.normpath(nb_rel)
        if not nb_rel.endswith('.ipynb'):
            warn(f'sidebar entry {nb_rel} is not a notebook: skipped')
            continue
        if nb_rel in seen:
            warn(f'{nb_rel} is listed twice in sidebar.yml: keeping the first')
            continue
        seen.add(nb_rel)
        if not (nbs/nb_rel).exists():
            warn(f'nbs/{nb_rel} does not exist (yet): skipped')
            continue
        if nb_rel in errors:
            warn(f'nbs/{nb_rel}: no page (nbdev processing failed, see above)')
            continue
        proc = cache/nb_rel
        if not proc.exists():
            raise FileNotFoundError(f'{proc} missing after nbdev processing: run `python tools/build_docs.py --force`')
        nb = nbformat.read(proc, as_version=4)
        fm = nb_frontmatter(nb)
        out = posixpath.join(posixpath.dirname(nb_rel), fm.get('output-file') or posixpath.basename(html_name(nb_rel)))
        out = posixpath.normpath(out)
        if not fm.get('title'): warn(f'nbs/{nb_rel}: no `# Title` in the first markdown cell')
        pages.append(dict(nb=nb_rel, section=section, out=out, nbnode=nb,
                          title=str(fm.get('title') or Path(nb_rel).stem),
                          description=str(fm.get('description') or ''), math=False, plotly=False, n_plotly=0,
                          slug=re.sub(r'\W', '_', Path(nb_rel).stem)))
    extra = sorted(str(p.relative_to(nbs)) for p in nbs.rglob('*.ipynb')
                   if '.ipynb_checkpoints' not in p.parts
                   and not any(q.startswith(('_', '.')) for q in p.relative_to(nbs).parts)
                   and str(p.relative_to(nbs)) not in seen)
    for e in extra: warn(f'nbs/{e} is not listed in nbs/sidebar.yml: no page built for it')
    if not pages: raise SystemExit('no pages to build: is nbs/sidebar.yml listing existing notebooks?')
    outs = [p['out'] for p in pages]
    dup = {o for o in outs if outs.count(o) > 1}
    if dup: raise SystemExit(f'two notebooks map to the same page {dup}: rename one of them')

    clean_docs()
    copy_mathjax()
    pages_by_nb = {p['nb']: p for p in pages}
    manifest, ids_by_out = [], {}
    for p in pages:
        nb = prepare_nb(p.pop('nbnode'), p)
        body, _ = exporter.from_notebook_node(nb, resources={'metadata': {'path': str(nbs/posixpath.dirname(p['nb']))}})
        body, ids = fix_headings(body)
        p['body'] = rewrite_links(body, p, pages_by_nb, cfg['doc_url'], nbs)
        ids_by_out[p['out']] = set(html.unescape(i) for i in re.findall(r'\sid="([^"]+)"', p['body']))
    for p in pages:
        body = fix_doclink_anchors(p.pop('body'), ids_by_out)
        dst = DOCS/p['out']
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(page_html(p, body, pages, cfg), encoding='utf-8')
        manifest.append({k: p[k] for k in ('nb', 'out', 'title', 'description', 'section', 'math', 'plotly')})
    write_assets(any(p['plotly'] for p in pages))
    (DOCS/'site.json').write_text(json.dumps({'title': cfg['title'], 'pages': manifest}, indent=1) + '\n')
    (DOCS/'.nojekyll').write_text('')
    log(f'{len(pages)} pages -> {DOCS.relative_to(ROOT)}/ in {time.time()-t1:.1f} s '
        f'(total {time.time()-t0:.1f} s): ' + ', '.join(p['out'] for p in pages))
    if errors:
        print(f'[build_docs] FAILED: {len(errors)} notebook(s) could not be processed: ' + ', '.join(errors),
              file=sys.stderr)
        sys.exit(1)
    return pages


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--force', action='store_true', help="re-process every notebook (ignore nbdev's _proc cache)")
    ap.add_argument('--skip-proc', action='store_true', help='reuse _proc/ as it is (no notebook execution)')
    a = ap.parse_args()
    build(force=a.force, skip_proc=a.skip_proc)

#!/usr/bin/env python
"""Generate README.md from nbs/index.ipynb (the offline stand-in for `nbdev_readme`, which needs Quarto).

    python tools/make_readme.py            # write README.md
    python tools/make_readme.py --check    # exit 1 if README.md is out of date (writes nothing)

Markdown cells are copied as they are; code cells become ```python blocks followed by their text
outputs (stream text, text/plain results; text/markdown results are inlined as markdown). Cells whose
directives include `#| hide` (or `#| include: false`) are dropped, and `#| ...` directive lines are
removed. Links to other notebooks (`[text](11_ista.ipynb#anchor)`) point to the documentation site
(settings.ini doc_host + doc_baseurl, page names as nbdev makes them), as `nbdev_readme` does.
The output depends only on the notebook and settings.ini, so CI can run
`python tools/make_readme.py && git diff --exit-code README.md`.
"""
import argparse, configparser, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIRECTIVE = re.compile(r'^\s*#\s*\|\s*([\w-]+)\s*(?::\s*(.*?))?\s*$')
ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')
NB_LINK = re.compile(r'\]\((?!https?:|#|/)([^)\s]+?\.ipynb)(#[^)\s]*)?\)')


def settings():
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(ROOT/'settings.ini')
    d = cp['DEFAULT']
    host, base = d.get('doc_host', '').rstrip('/'), d.get('doc_baseurl', '').strip('/')
    doc_url = f'{host}/{base}/' if base else f'{host}/'
    return d.get('nbs_path', 'nbs'), d.get('readme_nb', 'index.ipynb'), doc_url


def page_name(nb_rel):
    "nbdev's page name: '11_ista.ipynb' -> 'ista.html', 'tutorials/x.ipynb' -> 'tutorials/x.html'."
    d, _, name = nb_rel.rpartition('/')
    name = re.sub(r'^\d+[a-zA-Z0-9]*_', '', name[:-len('.ipynb')].lower()) + '.html'
    return f'{d}/{name}' if d else name


def src(cell): return ''.join(cell.get('source', ''))
def text(x): return ''.join(x) if isinstance(x, list) else (x or '')


def split_directives(code):
    opts, keep = {}, []
    for line in code.splitlines():
        m = DIRECTIVE.match(line)
        if m: opts[m.group(1).lower()] = (m.group(2) or 'true').strip().strip('"\'').lower()
        else: keep.append(line)
    return opts, '\n'.join(keep).strip('\n')


def outputs_md(outputs):
    "Text outputs of a code cell as markdown blocks."
    texts, blocks = [], []
    def flush():
        if texts:
            t = ANSI.sub('', ''.join(texts)).rstrip()
            if t: blocks.append('```\n' + '\n'.join(l.rstrip() for l in t.splitlines()) + '\n```')
            texts.clear()
    for o in outputs:
        kind = o.get('output_type')
        if kind == 'stream' and o.get('name') == 'stdout': texts.append(text(o.get('text')))
        elif kind in ('execute_result', 'display_data'):
            data = o.get('data', {})
            if 'text/markdown' in data:
                flush()
                blocks.append(text(data['text/markdown']).strip())
            elif 'text/plain' in data and not any(k.startswith('image/')
                                                  or k == 'text/html' and 'plotly' in text(data[k]) for k in data):
                t = text(data['text/plain'])
                texts.append(t if t.endswith('\n') else t + '\n')
        elif kind == 'error': texts.append('\n'.join(o.get('traceback', [])) + '\n')
    flush()
    return blocks


def make_readme(nb_path, doc_url, nbs_dir):
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    nb_dir = Path(nb_path).parent.relative_to(nbs_dir).as_posix()
    def link(m):
        target = m.group(1) if nb_dir == '.' else f'{nb_dir}/{m.group(1)}'
        return f']({doc_url}{page_name(target)}{m.group(2) or ""})'
    parts = []
    for c in nb.get('cells', []):
        s = src(c)
        if c.get('cell_type') == 'markdown':
            s = s.strip()
            if s: parts.append(NB_LINK.sub(link, s))
        elif c.get('cell_type') == 'code':
            opts, code = split_directives(s)
            if 'hide' in opts or opts.get('include') == 'false': continue
            if code and opts.get('echo') != 'false': parts.append('```python\n' + code + '\n```')
            if opts.get('output') != 'false': parts += outputs_md(c.get('outputs', []))
    md = '\n\n'.join(p.rstrip() for p in parts if p.strip())
    md = '\n'.join(l.rstrip() for l in md.splitlines())
    return re.sub(r'\n{3,}', '\n\n', md).strip() + '\n'


def main():
    ap = argparse.ArgumentParser(description='Generate README.md from nbs/index.ipynb.')
    ap.add_argument('--check', action='store_true', help='only check that README.md is up to date')
    ap.add_argument('--out', default=str(ROOT/'README.md'))
    a = ap.parse_args()
    nbs, readme_nb, doc_url = settings()
    nb_path = ROOT/nbs/readme_nb
    if not nb_path.exists():
        sys.exit(f'{nb_path} not found: settings.ini readme_nb names the notebook README.md is made from.')
    md = make_readme(nb_path, doc_url, ROOT/nbs)
    out = Path(a.out)
    if a.check:
        if not out.exists() or out.read_text(encoding='utf-8') != md:
            sys.exit(f'{out.name} is out of date: run python tools/make_readme.py')
        print(f'{out.name} is up to date')
        return
    out.write_text(md, encoding='utf-8')
    print(f'wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} from {nb_path.relative_to(ROOT)} '
          f'({len(md.splitlines())} lines)')


if __name__ == '__main__':
    main()

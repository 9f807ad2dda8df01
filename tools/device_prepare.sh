#!/usr/bin/env bash
# Run HERE (a machine with internet and the dev venv), before asking for a lent GPU machine.
# The GPU machine has PyTorch, torchvision, numpy, PIL, matplotlib, scikit-learn and scipy, but no
# internet, no nbdev/IPython/widget packages and no Fashion-MNIST. This gathers what
# tools/device_checks.sh needs into two ignored folders that the device tool carries:
#   .whl/   wheels (CPython 3.12, manylinux x86-64) of the dev packages missing there
#   .data/  the Debian package dataset-fashion-mnist (its IDX files, unpacked there with dpkg -x) and a minimal
#           relocatable graphviz `dot` (.data/gv)
# Then the two calls written at the top of tools/device_checks.sh (parts `bench` and `search`).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python}
for d in .whl .data; do grep -qx "/$d/" .git/info/exclude 2>/dev/null || echo "/$d/" >> .git/info/exclude; done
rm -rf .whl .data; mkdir -p .whl .data

# The requirement closure of the packages the notebooks import, minus what the GPU image already has,
# pinned to the versions of this venv (the set that is tested here).
pins=$($PY - <<'EOF'
import importlib.metadata as md, re
roots = ['nbdev', 'execnb', 'ipywidgets', 'plotly', 'anywidget', 'graphviz']
on_device = {'torch', 'torchvision', 'numpy', 'pillow', 'matplotlib', 'scikit-learn', 'scipy', 'packaging',
             'pyyaml', 'typing-extensions', 'pygments', 'six', 'setuptools', 'wheel', 'pip', 'jinja2',
             'markupsafe', 'narwhals', 'filelock', 'fsspec', 'sympy', 'networkx', 'mpmath', 'triton'}
norm = lambda n: re.sub(r'[-_.]+', '-', n).lower()
seen, todo = {}, list(roots)
while todo:
    n = norm(todo.pop())
    if n in seen or n in on_device: continue
    try: dist = md.distribution(n)
    except md.PackageNotFoundError: continue
    seen[n] = dist.version
    for r in dist.requires or []:
        if 'extra ==' in r: continue
        todo.append(re.match(r'[A-Za-z0-9_.\-]+', r).group(0))
print(' '.join(f'{k}=={v}' for k, v in sorted(seen.items())))
EOF
)
echo "wheels: $pins"
$PY -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
  --platform manylinux1_x86_64 --platform any -d .whl $pins

(cd .data && apt-get download dataset-fashion-mnist)

# graphviz's `dot`, relocatable and minimal (SVG output: the core and dot-layout plugins, no cairo/X):
# 02_supernet draws a cell with it. tools/device_checks.sh wraps it with LD_LIBRARY_PATH and GVBINDIR.
tmp=$(mktemp -d); (cd "$tmp" && apt-get download graphviz libgvc6 libcgraph6 libcdt5 libpathplan4 libxdot4 libltdl7 >/dev/null)
for f in "$tmp"/*.deb; do dpkg -x "$f" "$tmp/root"; done
lib="$tmp/root/usr/lib/x86_64-linux-gnu"
mkdir -p .data/gv/bin .data/gv/lib .data/gv/graphviz
cp "$tmp/root/usr/bin/dot" .data/gv/bin/
cp -L "$lib"/lib{gvc.so.6,cgraph.so.6,cdt.so.5,pathplan.so.4,xdot.so.4,ltdl.so.7} .data/gv/lib/     # no symbolic links
cp -L "$lib"/graphviz/libgvplugin_{core,dot_layout}.so.6 .data/gv/graphviz/
rm -rf "$tmp"
du -sh .whl .data
echo "ready: run(command='bash tools/device_checks.sh bench', carry=['.whl', '.data'], timeout_s=540), then the same with 'search' and timeout_s=600"

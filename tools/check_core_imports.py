"""Check that the core library imports and runs with torch + torchvision only (GPU servers often have
nothing else): widget, plotting and notebook packages are blocked, every `autojoint` module must import,
and a tiny DHA search and a tiny DAAS search must run end to end and write their run folders (without
graphviz the genotype picture is skipped with a warning; genotype.json is still written)."""
import importlib, pkgutil, sys

BLOCKED = ('ipywidgets', 'plotly', 'anywidget', 'graphviz', 'matplotlib', 'IPython', 'sklearn', 'scipy', 'nbdev',
           'fastcore')

# A None entry in sys.modules makes `import X` fail and `importlib.util.find_spec(X)` return None, as if X
# were not installed (torch itself probes for some of these packages with find_spec).
for name in BLOCKED: sys.modules[name] = None
import autojoint
mods = sorted(m.name for m in pkgutil.iter_modules(autojoint.__path__, 'autojoint.') if not m.name.endswith('_modidx'))
for m in mods:
    importlib.import_module(m)
    print('imported', m)
print(f'{len(mods)} modules import without widget/plotting packages')

import tempfile, warnings
from pathlib import Path
from autojoint.dha import dha_search
from autojoint.daas import daas_search
tiny = dict(dataset='digits', epochs=1, C=4, layers=3, limit_train=128, limit_test=64, batch_size=32, device='cpu')
for name, fn, extra in (('dha', dha_search, {}), ('daas', daas_search, dict(N=1, M=1))):
    out = Path(tempfile.mkdtemp()) / name
    with warnings.catch_warnings(record=True):
        res = fn(out=out, **tiny, **extra)
    missing = [f for f in ('genotype.json', 'metrics.jsonl', 'policy.json', 'checkpoint.pt',
                           'model.pt') if not (out / f).is_file()]
    assert not missing, f'{name}: missing {missing}'
    print(f'{name} search ran without widget/plotting packages: test accuracy {res["test_acc"]:.3f}')

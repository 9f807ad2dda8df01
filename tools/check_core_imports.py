"""Check that the core library imports and runs with torch + torchvision only.

Widget and plotting packages (ipywidgets, plotly, anywidget, graphviz, matplotlib, IPython, sklearn,
scipy, PIL-free paths are not required) are blocked; every `autojoint` module except the dashboard must
import, and a tiny search-network forward pass must run. GPU servers often have only torch installed."""
import importlib, importlib.abc, pkgutil, sys

BLOCKED = ('ipywidgets', 'plotly', 'anywidget', 'graphviz', 'matplotlib', 'IPython', 'sklearn', 'scipy', 'nbdev', 'fastcore')
LAZY_OK = {'autojoint.dashboard'}  # imports its UI packages inside functions, but test it too

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in BLOCKED: raise ImportError(f'{name} is blocked: the core library must not need it')
        return None

sys.meta_path.insert(0, Block())
import autojoint
mods = sorted(m.name for m in pkgutil.iter_modules(autojoint.__path__, 'autojoint.') if not m.name.endswith('_modidx'))
for m in mods:
    importlib.import_module(m)
    print('imported', m)
print(f'{len(mods)} modules import without widget/plotting packages')

__version__ = "0.1.0"

# Written by hand (nbdev keeps only the version line above up to date): the front door of the package.
# The names load lazily, so that `import autojoint` and `autojoint --help` stay fast.
_FRONT_DOOR = {'search': 'autojoint.methods', 'load_model': 'autojoint.runs', 'SearchData': 'autojoint.data',
               'LearnedAugment': 'autojoint.learned_augment'}
__all__ = ['search', 'load_model', 'SearchData', 'LearnedAugment']


def __getattr__(name):
    if name in _FRONT_DOOR:
        import importlib
        return getattr(importlib.import_module(_FRONT_DOOR[name]), name)
    raise AttributeError(f"module 'autojoint' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)

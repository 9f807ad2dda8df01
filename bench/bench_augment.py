"""Benchmark: per-sample 2-op augmentation policies with `autojoint.augment` vs torchvision RandAugment.

Usage (needs only torch + torchvision, run from the repository root or anywhere):

    python bench/bench_augment.py [--device cuda] [--quick] [--compile]

For DHA_OPS and DAAS_OPS, every image gets its own random pair of ops, magnitudes and signs
(`apply_policy` with K=2), at 32x32 (batch 256 and 4096) and 224x224 (batch 256), through each dispatch
path of `apply_policy`: 'grouped' (sorted by op family, one host sync per op slot), 'fused' (four fixed
stages on the whole batch, no host sync) and, with --compile, 'compiled' (the fused path under
torch.compile, CUDA graphs on a GPU; the first call of each shape compiles and is not timed). Baselines measured
in the same run: torchvision `RandAugment(num_ops=2)` on PIL images, one image at a time in this single
process (= one CPU core), and the same transform applied image by image to uint8 tensors on `--device`.
GPU timings use CUDA events after warm-up iterations; the CPU path uses `time.perf_counter` (benchlib.Timer).

Targets on the lent H100: >= 250k images/s at 32x32 batch 256, >= 1M at batch 4096, >= 20k at 224x224.

Figures measured so far are in nbs/20_augment.ipynb (CPU only: no GPU has been lent yet). The last columns
count the ATen operations one call dispatches per path, the same on any machine whatever the batch and
image size: at batch 256 a launch-bound GPU call pays for each of them in eager mode.
"""
import argparse, itertools, os, sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from autojoint import augment as A  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import Timer, count_ops  # noqa: E402


def bench_ours(ops, size, batch, device, iters, warmup, path):
    """Images/s of apply_policy through `path` (2 random ops per image, random magnitudes and signs) on uint8
    batches, and the ATen operations one call dispatches (benchlib.py: what a launch-bound GPU call pays for)."""
    g = torch.Generator(device=device).manual_seed(0)
    x = torch.randint(0, 256, (batch, 3, size, size), dtype=torch.uint8, device=device, generator=g)
    def step():
        idx = torch.randint(0, len(ops), (batch, 2), device=device, generator=g)
        m = torch.rand(batch, 2, device=device, generator=g)
        return A.apply_policy(x, idx, m, ops=ops, generator=g, path=path, validate=False)
    ms, _ = Timer(device)(step, iters, max(warmup, 2 if path == 'compiled' else 0))
    return batch * 1e3 / ms, (count_ops(step) if path != 'compiled' else 0)


def bench_torchvision_pil(size, n):
    "Images/s of torchvision RandAugment(num_ops=2) on PIL images, one process."
    import numpy as np
    from PIL import Image
    from torchvision import transforms as T
    ra = T.RandAugment(num_ops=2)
    rng = np.random.default_rng(0)
    imgs = [Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8)) for _ in range(min(n, 64))]
    i = itertools.count()
    ms, _ = Timer('cpu')(lambda: ra(imgs[next(i) % len(imgs)]), n, 8)
    return 1e3 / ms


def bench_torchvision_tensor(size, n, device):
    "Images/s of torchvision RandAugment(num_ops=2) applied image by image to uint8 tensors on `device`."
    from torchvision import transforms as T
    ra = T.RandAugment(num_ops=2)
    x = torch.randint(0, 256, (min(n, 64), 3, size, size), dtype=torch.uint8, device=device)
    i = itertools.count()
    ms, _ = Timer(device)(lambda: ra(x[next(i) % len(x)]), n, 8)
    return 1e3 / ms


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--quick', action='store_true', help='few iterations (smoke test)')
    p.add_argument('--compile', action='store_true',
                   help="also time path='compiled' (torch.compile; CUDA graphs on a GPU)")
    p.add_argument('--only', action='append', default=[], metavar='SIZExBATCH',
                   help='e.g. --only 32x256 (repeatable; default: all three)')
    p.add_argument('--ops', default='DHA,DAAS', help='op lists to time: DHA, DAAS or both (default)')
    a = p.parse_args(argv)
    device = torch.device(a.device)
    if device.type == 'cuda' and not torch.cuda.is_available():
        print('CUDA is not available: falling back to --device cpu')
        device = torch.device('cpu')
    gpu = device.type == 'cuda'
    iters, warmup = (2, 1) if a.quick else ((50, 10) if gpu else (5, 2))
    n_base = 64 if a.quick else 512
    name = torch.cuda.get_device_name(device) if gpu else f'CPU ({torch.get_num_threads()} threads)'
    print(f'device: {name}; torch {torch.__version__}; quick={a.quick} compile={a.compile}')
    configs = [(32, 256), (32, 4096), (224, 256)]
    if a.only:
        try: configs = [tuple(int(v) for v in c.lower().split('x')) for c in a.only]
        except ValueError: p.error(f'--only takes SIZExBATCH such as 32x256, got {a.only}')
    op_lists = [(n, {'DHA': A.DHA_OPS, 'DAAS': A.DAAS_OPS}[n]) for n in a.ops.upper().split(',')
                if n in ('DHA', 'DAAS')]
    if not op_lists: p.error(f'--ops takes DHA, DAAS or DHA,DAAS, got {a.ops!r}')
    base = {}
    for size in sorted({s for s, _ in configs}):
        base[size] = (bench_torchvision_pil(size, n_base), bench_torchvision_tensor(size, n_base, device))
    paths = ('grouped', 'fused') + (('compiled',) if a.compile else ())
    print(f"\n{'ops':5s} {'size':>7s} {'batch':>6s} " + ' '.join(f'{p + " img/s":>15s}' for p in paths) +
          f" {'RA-PIL img/s':>13s} {'best x':>7s} {'RA-' + device.type + ' img/s':>14s} {'best x':>7s} "
          f"{'ops grouped':>12s} {'ops fused':>10s}")
    for ops_name, ops in op_lists:
        for size, batch in configs:
            it = max(1, iters // (4 if batch * size * size > 2 ** 22 and not gpu else 1))
            res = {p: bench_ours(ops, size, batch, device, it, warmup, p) for p in paths}
            best = max(r[0] for r in res.values())
            pil, dev = base[size]
            print(f'{ops_name:5s} {size:>3d}x{size:<3d} {batch:6d} ' + ' '.join(f'{res[p][0]:15,.0f}' for p in paths) +
                  f' {pil:13,.0f} {best / pil:7.1f} {dev:14,.0f} {best / dev:7.1f} {res["grouped"][1]:12,d} '
                  f'{res["fused"][1]:10,d}')
    if gpu:
        print('\ntargets (H100): >= 250,000 img/s at 32x32 batch 256, >= 1,000,000 at batch 4096, >= 20,000 at 224x224')


if __name__ == '__main__':
    main()

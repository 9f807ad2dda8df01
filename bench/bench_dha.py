"""Benchmark: one DHA step vs a plain training step of the same supernet, measured in the same process.

    python bench/bench_dha.py [--device cuda] [--quick] [--steps 30] [--C 36 --layers 20 --batch 96 --size 32]

The DHA step is the engine's `JointStep` with DHA's components (ISTA one-stage architecture, pair policy
tau on the GPU, look-ahead hypergradient for eta: one forward/backward on the augmented batch plus one on a
separate batch). The baseline is a plain step of the same network with the same sampled support: forward,
backward, SGD, no augmentation and no hyper-parameter step. Also reported: the share of the DHA step spent
in augmentation, images/s, peak GPU memory, and the ATen operations each dispatches (benchlib.py: the
predictor of a launch-bound GPU step, the same on any machine). Targets from the issue (H100): \
DHA step <= 2.3x the plain
step, augmentation <= 5% of the step. Data are synthetic uint8 images resident on the device (the speed of
a step does not depend on pixel values). Only torch + torchvision are needed.
"""
import argparse
import torch
from autojoint.engine import Search, SearchData, JointStep, FixedHyperParams, NoAugmentation
from autojoint.dha import ISTAArchitecture, PairPolicyAugmentation, LookaheadHyperParams
from benchlib import Timer, count_ops


def make_search(aug, hp, C, layers, batch, size, device, n=None):
    n = n or batch * 4
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (n, 3, size, size), dtype=torch.uint8, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    data = SearchData(x, y, mean=(0.49, 0.48, 0.45), std=(0.25, 0.24, 0.26), num_classes=10, name='synthetic')
    arch = ISTAArchitecture(C=C, layers=layers, num_classes=10, in_channels=3)
    return Search(arch, aug, hp, data, epochs=1, batch_size=batch, device=device, seed=0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--quick', action='store_true', help='tiny sizes (a CPU smoke test)')
    ap.add_argument('--steps', type=int, default=30)
    ap.add_argument('--warmup', type=int, default=5)
    ap.add_argument('--C', type=int, default=36)
    ap.add_argument('--layers', type=int, default=20)
    ap.add_argument('--batch', type=int, default=96)
    ap.add_argument('--size', type=int, default=32)
    ap.add_argument('--aug-path', default='auto', dest='aug_path',
                    help="apply_policy's path: auto, grouped, fused, compiled")
    a = ap.parse_args()
    if a.quick: a.C, a.layers, a.batch, a.size, a.steps, a.warmup = 8, 5, 32, 16, 5, 2
    dev = torch.device(a.device)
    timer = Timer(dev)
    print(f'device {dev}{" (" + torch.cuda.get_device_name(dev) + ")" if dev.type == "cuda" else ""}, '
          f'torch {torch.__version__}; '
          f'supernet C={a.C}, {a.layers} cells, batch {a.batch}, {a.size}x{a.size}')

    # plain step: same network and support, no augmentation, fixed SGD
    plain = make_search(NoAugmentation(), FixedHyperParams(), a.C, a.layers, a.batch, a.size, dev)
    it = plain.train_loader.infinite()
    step = JointStep()
    def plain_step():
        x, y = next(it)
        step(plain, x, y)  # noqa: F821 (`plain` is deleted below, after its last use)
    ms_plain, mem_plain = timer(plain_step, a.steps, a.warmup)
    ops_plain = count_ops(plain_step)
    del plain

    dha = make_search(PairPolicyAugmentation(path=a.aug_path), LookaheadHyperParams(), a.C, a.layers, a.batch,
                      a.size, dev)
    it2 = dha.train_loader.infinite()
    def dha_step():
        x, y = next(it2)
        step(dha, x, y)
    ms_dha, mem_dha = timer(dha_step, a.steps, a.warmup)
    ops_dha = count_ops(dha_step)
    xb, _ = next(it2)
    ms_aug, _ = timer(lambda: dha.aug.augment(xb, dha), a.steps, a.warmup)
    ops_aug = count_ops(lambda: dha.aug.augment(xb, dha))

    print(f"{'step':28s} {'ms/step':>9s} {'images/s':>10s} {'peak GiB':>9s} {'ATen ops':>9s}")
    print(f"{'plain (same supernet)':28s} {ms_plain:9.1f} {a.batch / ms_plain * 1000:10.0f} {mem_plain:9.2f} "
          f"{ops_plain:9,d}")
    print(f"{'DHA (tau + eta + alpha)':28s} {ms_dha:9.1f} {a.batch / ms_dha * 1000:10.0f} {mem_dha:9.2f} {ops_dha:9,d}")
    print(f"{'  of which augmentation':28s} {ms_aug:9.2f} {'':10s} {'':9s} {ops_aug:9,d}")
    print(f'ratio DHA / plain: {ms_dha / ms_plain:.2f}x in time (target <= 2.3x), '
          f'{ops_dha / ops_plain:.2f}x in ATen ops; '
          f'augmentation share: {ms_aug / ms_dha:.1%} of the time (target <= 5%), {ops_aug / ops_dha:.1%} of the ops')


if __name__ == '__main__':
    main()

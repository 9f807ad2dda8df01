"""Benchmark: one DAAS step (Algorithm 1, N=5 architectures x M=2 policies) on the CIFAR search setting
(8 cells, C=16, batch 64, 32x32x3 uint8 data resident on the device, 25k/25k train/val split), beside a
same-process baseline: a DARTS first-order step of the dense supernet (one weight step + one architecture
step, every op computed) on the same batch size.

    python bench/bench_daas.py                 # on the GPU (CUDA events, warm-up iterations)
    python bench/bench_daas.py --quick         # tiny and CPU-friendly: checks that everything runs
    python bench/bench_daas.py --op-graphs     # also the DAAS steps with per-op CUDA graphs (nbs/04_op_graphs)

Prints ms per step, the projected seconds per epoch (391 steps of 64 = 25k images), the peak memory, the
ATen operations dispatched per step and the ratio to the baseline, with the target from REFERENCE.md (the
official DARTS first-order epoch takes 338 s on the H100; a DAAS epoch must take at most a third of that).

The op count (see benchlib.py) predicts a launch-bound GPU step (REFERENCE.md: the official DARTS
first-order step, 865 ms on the H100, launches on the order of 30,000 kernels at about 30 us each) and is the
same on any machine: `aten_ops_per_step` in --json.
"""
import argparse, json
import torch, torch.nn.functional as F
from autojoint.engine import Search, SearchData, FixedHyperParams
from autojoint.daas import GumbelArchitecture, OpProbMagAugmentation, DAASStep
from autojoint.supernet import SearchNetwork, CELL_TYPES
from autojoint.ops import DARTS_OPS
from autojoint.op_graphs import graph_calls, replay_eagerly
from benchlib import Timer, count_ops

OFFICIAL_DARTS_FO_EPOCH_S = 338.0     # REFERENCE.md: official DARTS first-order search, H100, 391 steps x 865 ms
STEPS_PER_EPOCH = 391


def synthetic_data(n_train, n_val, size, channels=3, classes=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(0, 256, (n_train + n_val, channels, size, size), dtype=torch.uint8, generator=g)
    y = torch.randint(0, classes, (n_train + n_val,), generator=g)
    return SearchData(x[:n_train], y[:n_train], val_x=x[n_train:], val_y=y[n_train:], mean=(0.5,) * channels,
                      std=(0.25,) * channels, num_classes=classes, name='synthetic')


def daas_step_fn(data, args, device, joint=True, op_graphs=False):
    arch = GumbelArchitecture(C=args.C, layers=args.layers, num_classes=10, in_channels=3)
    aug = OpProbMagAugmentation(K=2, bins=10, path=args.aug_path)
    hp = FixedHyperParams()
    step = DAASStep(N=args.N, M=args.M, warmup_epochs=0 if joint else 10**6,
                    directional='fd' if op_graphs else 'jvp', op_graphs=op_graphs)
    if op_graphs and device.type != 'cuda': step.graph_capture = replay_eagerly   # CPU: plumbing only
    s = Search(arch, aug, hp, data, step=step, epochs=50, batch_size=args.batch, device=str(device), seed=0)
    it = s.train_loader.infinite()
    def fn():
        x, y = next(it)
        out = step(s, x, y)
        s.global_step += 1
        return out
    fn.model = arch.model
    return fn


def darts_first_order_fn(data, args, device):
    ("The DARTS baseline: dense supernet, softmax(alpha) on every edge; "
     "weight step on a train batch, arch step on a val batch.")
    torch.manual_seed(0)
    net = SearchNetwork(C=args.C, num_classes=10, layers=args.layers, ops=DARTS_OPS, in_channels=3).to(device)
    net = net.to(memory_format=torch.channels_last)
    alpha = {ct: (1e-3 * torch.randn(14, len(DARTS_OPS), device=device)).requires_grad_() for ct in CELL_TYPES}
    w_opt = torch.optim.SGD(net.parameters(), lr=0.025, momentum=0.9, weight_decay=3e-4)
    a_opt = torch.optim.Adam(list(alpha.values()), lr=3e-4, betas=(0.5, 0.999), weight_decay=1e-3)
    mean = torch.full((1, 3, 1, 1), 127.5, device=device)
    std = torch.full((1, 3, 1, 1), 64.0, device=device)
    tx, ty = data.train_x.to(device), data.train_y.to(device)
    vx, vy = data.val_x.to(device), data.val_y.to(device)
    g = torch.Generator(device=device).manual_seed(0)
    def batch(x, y):
        i = torch.randint(0, x.shape[0], (args.batch,), device=device, generator=g)
        return ((x[i].float() - mean) / std).contiguous(memory_format=torch.channels_last), y[i]
    def fn():
        xv, yv = batch(vx, vy)                     # architecture step (first order: at the current weights)
        a_opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(xv, {k: v.softmax(-1) for k, v in alpha.items()}), yv).backward()
        a_opt.step()
        xt, yt = batch(tx, ty)                     # weight step
        w_opt.zero_grad(set_to_none=True)
        F.cross_entropy(net(xt, {k: v.softmax(-1).detach() for k, v in alpha.items()}), yt).backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        w_opt.step()
    return fn


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--quick', action='store_true', help='tiny sizes, a few iterations (runs on the CPU)')
    p.add_argument('--device', default='auto')
    p.add_argument('--iters', type=int, default=None)
    p.add_argument('--warmup', type=int, default=None)
    p.add_argument('--json', default=None, help='also write the results to this JSON file')
    p.add_argument('--aug-path', default='auto', dest='aug_path',
                   help="apply_policy's path: auto, grouped, fused, compiled")
    p.add_argument('--op-graphs', action='store_true', dest='op_graphs',
                   help='also time the DAAS steps with per-op CUDA graphs (GPU only)')
    args = p.parse_args()
    device = torch.device('cuda' if args.device == 'auto' and torch.cuda.is_available()
                          else ('cpu' if args.device == 'auto' else args.device))
    if args.quick:
        args.C, args.layers, args.batch, args.N, args.M, n, size = 4, 3, 8, 2, 2, 256, 16
        iters, warm = args.iters or 2, args.warmup or 1
    else:
        args.C, args.layers, args.batch, args.N, args.M, n, size = 16, 8, 64, 5, 2, 25000, 32
        iters, warm = args.iters or 10, args.warmup or 3
    data = synthetic_data(n, n, size)
    timer = Timer(device)
    res = dict(device=torch.cuda.get_device_name() if device.type == 'cuda' else 'cpu', torch=torch.__version__,
               setting=dict(C=args.C, layers=args.layers, batch=args.batch, N=args.N, M=args.M, size=size, n_train=n,
                            n_val=n, aug_path=args.aug_path))
    runs = [('daas_joint', lambda: daas_step_fn(data, args, device, joint=True)),
            ('daas_warmup', lambda: daas_step_fn(data, args, device, joint=False)),
            ('darts_first_order', lambda: darts_first_order_fn(data, args, device))]
    if args.op_graphs:
        if device.type != 'cuda':
            print('--op-graphs on a CPU: an eager stand-in replaces the CUDA capture (checks the plumbing only)')
        runs[2:2] = [('daas_joint_graphs', lambda: daas_step_fn(data, args, device, joint=True, op_graphs=True))]
    for name, make in runs:
        fn = make()
        ms, mem = timer(fn, iters, warm)
        ops = count_ops(fn)
        res[name] = dict(ms_per_step=ms, s_per_epoch=ms * STEPS_PER_EPOCH / 1e3, peak_gib=mem, aten_ops_per_step=ops)
        replays = ''
        if name.endswith('_graphs'):
            r0, e0 = graph_calls(fn.model)
            fn()
            r1, e1 = graph_calls(fn.model)   # one more step: which op calls replayed
            res[name]['replayed_fraction'] = (r1 - r0) / max(1, r1 - r0 + e1 - e0)
            replays = f'  {res[name]["replayed_fraction"]:.0%} of op calls replayed'
        print(f'{name:18s} {ms:9.1f} ms/step  {ms * STEPS_PER_EPOCH / 1e3:8.1f} s/epoch ({STEPS_PER_EPOCH} steps)  '
              f'peak {mem:6.2f} GiB  {ops:7,d} ATen ops/step{replays}', flush=True)
        del fn
        if device.type == 'cuda': torch.cuda.empty_cache()
    best = min((k for k in ('daas_joint', 'daas_joint_graphs') if k in res), key=lambda k: res[k]['ms_per_step'])
    r = res[best]['ms_per_step'] / res['darts_first_order']['ms_per_step']
    res['ratio_daas_to_darts_fo'], res['best_daas_joint'] = r, best
    target = OFFICIAL_DARTS_FO_EPOCH_S / 3
    print(f'DAAS joint step ({best}) / dense DARTS first-order step (same process): {r:.2f}x in time, '
          f'{res[best]["aten_ops_per_step"] / res["darts_first_order"]["aten_ops_per_step"]:.2f}x in ATen ops')
    print(f'target (REFERENCE.md): DAAS epoch <= {target:.0f} s on the H100 (official DARTS first order: '
          f'{OFFICIAL_DARTS_FO_EPOCH_S:.0f} s); '
          f'measured {res[best]["s_per_epoch"]:.0f} s'
          + ('' if device.type == 'cuda' and not args.quick else ' (not the GPU setting: not comparable)'))
    if args.json:
        with open(args.json, 'w') as f: json.dump(res, f, indent=2)


if __name__ == '__main__':
    main()

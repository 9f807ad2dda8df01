#!/usr/bin/env python
"""The two comparison tables of `45_own_model` at CPU scale, on a fixed network (default WRN-16-1) and a Fashion-MNIST
training subset (default the first 5,000 images), scored on the full 10,000-image test set.

Table 1 (DHA Table 4): Baseline (the fixed SGD recipe, cosine lr, with the baseline augmentation crop/flip/Cutout that
the methods wrap their policies in) vs Sequential DA+HP (`seq-da-hpo`) vs Joint DA+HP (`da-hpo`).
Table 2 (DAAS Table 5): the same network, data, epochs and fixed SGD recipe trained with crop/flip -> X -> Cutout, X
being nothing (= Table 1's Baseline), torchvision's RandAugment, TrivialAugmentWide, or the policy `pg-aa` found
(through `LearnedAugment`); plus `pg-aa`'s own search accuracy (its network, trained on half of the subset) and, as a
reference, the same training with no augmentation at all and with crop/flip alone.

Every run writes OUT/ARM-sSEED.json (skipped when it exists, so an interrupted study continues); both tables are printed
as markdown at the end. One training process, one thread:

    OMP_NUM_THREADS=1 python tools/own_model_tables.py OUT [--seeds 0 1 2] [--epochs 8] [--limit-train 5000]
"""
import os
os.environ.setdefault('OMP_NUM_THREADS', '1')
import argparse, json, pathlib, statistics, time
import torch, torch.nn.functional as F
from torchvision.transforms import v2
import autojoint
from autojoint.data import search_data, SearchData
from autojoint.engine import Search, ModuleArchitecture, FixedAugmentation, NoAugmentation
from autojoint.methods import resolve_config, baseline_augmentation
from autojoint.dha import make_hyperparams, search_pipeline
from autojoint.own import own_network
from autojoint.learned_augment import LearnedAugment
from autojoint.policies import op_marginals
from autojoint.daas import OpProbMagAugmentation

TABLE1 = ('baseline', 'seq-da-hpo', 'da-hpo')
TABLE2 = ('no-aug', 'crop-flip', 'baseline', 'randaugment', 'trivialaugment', 'pg-aa-policy', 'pg-aa')
ARMS = ('baseline', 'seq-da-hpo', 'da-hpo', 'pg-aa', 'randaugment', 'trivialaugment', 'pg-aa-policy', 'no-aug', 'crop-flip')
LABELS = {'baseline': 'Baseline (crop/flip/Cutout, fixed lr/wd)', 'seq-da-hpo': 'Sequential DA+HP (`seq-da-hpo`)',
          'da-hpo': 'Joint DA+HP (`da-hpo`)', 'pg-aa': '`pg-aa` search itself (half the images, M=2)',
          'randaugment': 'RandAugment (torchvision, N=2, M=9)', 'trivialaugment': 'TrivialAugmentWide (torchvision)',
          'pg-aa-policy': '`pg-aa` policy via `LearnedAugment`', 'no-aug': 'no augmentation at all (reference)',
          'crop-flip': 'crop/flip only, no Cutout (reference)'}


@torch.no_grad()
def test_metrics(net, data, batch=500):
    "(loss, accuracy) of `net` on the test images, normalised as `Search.to_input` does."
    was = net.training
    net.eval()
    mean = torch.tensor(data.mean).view(1, -1, 1, 1) * 255
    std = torch.tensor(data.std).view(1, -1, 1, 1) * 255
    loss, correct = 0.0, 0
    for i in range(0, len(data.test_y), batch):
        x = ((data.test_x[i:i + batch].float() - mean) / std).contiguous(memory_format=torch.channels_last)
        y = data.test_y[i:i + batch]
        out = net(x)
        loss += float(F.cross_entropy(out, y, reduction='sum'))
        correct += int((out.argmax(1) == y).sum())
    net.train(was)
    return loss / len(data.test_y), correct / len(data.test_y)


class PerImage:
    "crop/flip (`pre`) -> `transform` on each image (or on the batch, `batched`) -> Cutout (`post`), on uint8 batches."
    def __init__(self, pre, transform, post, batched=False):
        self.pre, self.transform, self.post, self.batched = pre, transform, post, batched

    def __call__(self, x, generator=None):
        x = self.pre(x, generator=generator)
        x = self.transform(x) if self.batched else torch.stack([self.transform(im) for im in x])
        return self.post(x, generator=generator)


def fixed_run(cfg, data, net, aug):
    "Train `net` with the fixed SGD recipe (cosine lr) of `cfg` under the fixed augmentation `aug`; returns the loop."
    run = Search.from_config(cfg, data, ModuleArchitecture(net), aug, make_hyperparams('fixed', cfg))
    run.fit()
    return run


def run_arm(arm, seed, a, train, full, policies):
    "Train one arm for one seed; returns its record (test accuracy on the full test set, final lr/wd, seconds, ...)."
    common = dict(dataset='fashion_mnist', seed=seed, epochs=a.epochs, batch_size=a.batch_size, model=a.model,
                  device='cpu')
    t0 = time.time()
    extra = {}
    if arm in ('seq-da-hpo', 'da-hpo', 'pg-aa'):
        s = autojoint.search(arm, data=train, threads=1, **common)
        net, lr, wd, train_acc = s['network'], s['lr'], s['wd'], s['train_acc']
        extra = dict(op_marginals=op_marginals(s['policy']), top_policies=s['top_policies'],
                     n_train_used=int(s['search'].data.train_x.shape[0]))
        if arm == 'pg-aa': extra['policy'] = s['policy']
    else:
        cfg = resolve_config('da-hpo', **common)       # the same lr, wd, momentum, lr_min, clip, batch as the methods
        net = own_network(cfg, train)                   # seeds the global generator (torchvision draws from it)
        if arm == 'baseline': aug = baseline_augmentation(cfg, train)
        elif arm == 'no-aug': aug = NoAugmentation()
        elif arm == 'crop-flip': aug = baseline_augmentation(dict(cfg, baseline_aug='darts'), train)
        else:
            pre, post = search_pipeline(cfg, train)
            if arm == 'randaugment': aug = FixedAugmentation(PerImage(pre, v2.RandAugment(), post), 'RandAugment')
            elif arm == 'trivialaugment':
                aug = FixedAugmentation(PerImage(pre, v2.TrivialAugmentWide(), post), 'TrivialAugmentWide')
            else:
                la = LearnedAugment(policies[seed], generator=torch.Generator().manual_seed(seed + 3))
                aug = FixedAugmentation(PerImage(pre, la, post, batched=True), 'pg-aa policy')
        run = fixed_run(cfg, train, net, aug)
        lr, wd, train_acc = run.history[-1]['lr'], run.history[-1]['wd'], run.history[-1]['train_acc']
    seconds = time.time() - t0
    test_loss, test_acc = test_metrics(net, full)
    return dict(arm=arm, seed=seed, test_acc=test_acc, test_loss=test_loss, train_acc=train_acc, lr=lr, wd=wd,
                seconds=round(seconds, 1), epochs=a.epochs, limit_train=a.limit_train, model=a.model,
                batch_size=a.batch_size, n_test=len(full.test_y), **extra)


def ms(v, f='{:.4f}'):
    "mean +- sd (sample sd) of `v`."
    if len(set(v)) < 2: return f.format(v[0]) if v else '-'
    return f'{f.format(statistics.mean(v))} +- {f.format(statistics.stdev(v))}'


def table(rows, arms, title, seeds, lr_wd=True):
    "A markdown table of `arms`: mean +- sd of the test accuracy, per-seed accuracies, and the final lr/wd."
    head = '| method | test acc (mean +- sd) | ' + ' | '.join(f'seed {s}' for s in seeds)
    head += ' | final lr | final wd | seconds/run |' if lr_wd else ' | seconds/run |'
    out = [f'**{title}**', '', head, '|---|---:|' + '---:|' * len(seeds) + ('---:|---:|---:|' if lr_wd else '---:|')]
    for arm in arms:
        r = [rows[(arm, s)] for s in seeds if (arm, s) in rows]
        if not r: continue
        acc = [x['test_acc'] for x in r]
        line = f"| {LABELS[arm]} | {ms(acc)} | " + ' | '.join(f"{rows[(arm, s)]['test_acc']:.4f}" if (arm, s) in rows
                                                              else '-' for s in seeds)
        if lr_wd: line += f" | {ms([x['lr'] for x in r], '{:.4f}')} | {ms([x['wd'] for x in r], '{:.1e}')}"
        out.append(line + f" | {statistics.mean(x['seconds'] for x in r):.0f} |")
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('out', type=pathlib.Path)
    ap.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    ap.add_argument('--epochs', type=int, default=8)
    ap.add_argument('--limit-train', type=int, default=5000)
    ap.add_argument('--batch-size', type=int, default=96)
    ap.add_argument('--model', default='wrn-16-1')
    ap.add_argument('--arms', nargs='+', default=list(ARMS), choices=ARMS)
    a = ap.parse_args()
    torch.set_num_threads(1)
    a.out.mkdir(parents=True, exist_ok=True)
    full = search_data('fashion_mnist', limit_train=a.limit_train)
    train = SearchData(full.train_x, full.train_y, mean=full.mean, std=full.std, num_classes=full.num_classes,
                       name='fashion_mnist')      # no test part: the methods skip per-epoch tests, scored once below
    rows, policies, t_all = {}, {}, time.time()
    for seed in a.seeds:
        for arm in [x for x in ARMS if x in a.arms]:
            p = a.out / f'{arm}-s{seed}.json'
            if p.is_file():
                r = json.loads(p.read_text())
                want = dict(epochs=a.epochs, limit_train=a.limit_train, model=a.model, batch_size=a.batch_size)
                if any(r.get(k) != v for k, v in want.items()):
                    raise SystemExit(f'{p} was written with other settings ({ {k: r.get(k) for k in want} }): '
                                     'give a new OUT folder')
            else:
                if arm == 'pg-aa-policy' and seed not in policies:
                    raise SystemExit(f'pg-aa-policy needs the pg-aa run of seed {seed}: include pg-aa in --arms')
                r = run_arm(arm, seed, a, train, full, policies)
                p.write_text(json.dumps(r, indent=1, default=float))
                print(f"{arm} seed {seed}: test acc {r['test_acc']:.4f}, lr {r['lr']:.4g}, wd {r['wd']:.3g}, "
                      f"{r['seconds']:.0f} s", flush=True)
            rows[(arm, seed)] = r
            if arm == 'pg-aa': policies[seed] = r['policy']
    print(f'\nwall time of this invocation: {time.time() - t_all:.0f} s; {a.model}, {a.limit_train} training images, '
          f'{a.epochs} epochs, batch {a.batch_size}, seeds {a.seeds}\n')
    print(table(rows, TABLE1, 'Table 1: DHA Table 4 at CPU scale', a.seeds))
    print()
    print(table(rows, TABLE2, 'Table 2: pg-aa against RandAugment and TrivialAugmentWide', a.seeds,
                lr_wd=False))
    pg = [rows[('pg-aa', s)] for s in a.seeds if ('pg-aa', s) in rows]
    if pg:
        start = max(op_marginals(OpProbMagAugmentation().policy).values())
        print(f'\npg-aa op marginals (expected applications per image; every op starts at {start:.3f}):')
        for r in pg:
            m = sorted(r['op_marginals'].items(), key=lambda kv: -kv[1])
            print(f"seed {r['seed']}: " + ', '.join(f'{k} {v:.3f}' for k, v in m[:3]) + ' ... ' +
                  ', '.join(f'{k} {v:.3f}' for k, v in m[-2:]))


if __name__ == '__main__':
    main()

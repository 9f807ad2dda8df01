"""Test accuracy of finished runs with BatchNorm statistics re-estimated on clean training images.

    python tools/recalibrated_accuracy.py RUN_DIR [RUN_DIR ...] [--images 2048]

What `bn_recalibrate` (in autojoint's engine) reports for a run made without it: the run's model (`load_model`), its
BatchNorm running statistics re-estimated as the loop does (`recalibrate_batchnorm` on `--images` evenly spaced
training images of the run's own data, rebuilt from its config.json, un-augmented); then its accuracy on the run's
test set. No weight changes, no label is read, so a run made without recalibration gives exactly what the same run with
it would have reported. Prints one line per run and, for folders named METHOD-sSEED, mean +- sd per method."""
import argparse, json, statistics
from pathlib import Path
import torch
from autojoint import load_model
from autojoint.methods import method_data
from autojoint.engine import recalibrate_batchnorm, spaced_batches


@torch.no_grad()
def recalibrated_accuracy(run_dir, images=2048, batch=256):
    "(accuracy as run, accuracy with clean BatchNorm statistics) of a finished run."
    run_dir = Path(run_dir)
    data = method_data(json.loads((run_dir / 'config.json').read_text()))
    model = load_model(run_dir)
    def acc():
        hits = sum((model(data.test_x[i:i + batch]).argmax(1) == data.test_y[i:i + batch]).sum().item()
                   for i in range(0, len(data.test_y), batch))
        return hits / len(data.test_y)
    before = acc()
    n = min(images, data.train_x.shape[0])         # the images and batches Search.recalibrate_bn would take
    recalibrate_batchnorm(model, model, spaced_batches(data.train_x, n, batch))
    return before, acc()

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('runs', nargs='+')
    p.add_argument('--images', type=int, default=2048)
    a = p.parse_args()
    torch.set_num_threads(1)
    by_method = {}
    for r in a.runs:
        before, after = recalibrated_accuracy(r, a.images)
        print(f'{r}: {before:.4f} as run, {after:.4f} with clean BatchNorm statistics', flush=True)
        by_method.setdefault(Path(r).name.rsplit('-s', 1)[0], []).append(after)
    for m, v in by_method.items():
        sd = statistics.stdev(v) if len(v) > 1 else 0.0
        print(f'{m}: {statistics.mean(v):.3f} +- {sd:.3f} ({" / ".join(f"{x:.3f}" for x in v)})')


if __name__ == '__main__':
    main()

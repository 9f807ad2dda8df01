"""Write autojoint/assets/digits.pt: scikit-learn's 8x8 handwritten digits as uint8 tensors.

The default dataset of autojoint must need only torch at run time, so the 1797 images of
`sklearn.datasets.load_digits()` are embedded once, here. Pixel values 0..16 are scaled to
0..255 by `round(v * 255 / 16)` (exact: integers in, nearest integer out, ties impossible
because 255 v / 16 is never k + 1/2 for integer v, k). Images keep sklearn's order; the
train/test split is stated in `autojoint.data` (first 1437 train, last 360 test).

Run from the repository root:  python tools/make_digits_asset.py
"""
from pathlib import Path
import numpy as np
import torch

def main(out=Path(__file__).resolve().parents[1] / 'autojoint' / 'assets' / 'digits.pt'):
    from sklearn.datasets import load_digits
    d = load_digits()
    v = d.images                                  # (1797, 8, 8) float64 in 0..16
    assert v.shape == (1797, 8, 8) and v.min() == 0 and v.max() == 16 and np.all(v == np.round(v))
    img = np.round(v * 255 / 16).astype(np.uint8)[:, None]          # (N, 1, 8, 8)
    asset = {'images': torch.from_numpy(img).contiguous(),
             'labels': torch.from_numpy(d.target.astype(np.uint8)),
             'n_train': 1437,
             'source': 'sklearn.datasets.load_digits (UCI optdigits test set), values v*255/16 rounded'}
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(asset, out)
    print(f'wrote {out} ({out.stat().st_size} bytes): images {tuple(img.shape)}, labels {d.target.shape}')

if __name__ == '__main__': main()

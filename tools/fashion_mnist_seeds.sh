#!/usr/bin/env bash
# DHA's Table 3 question on Fashion-MNIST at a size a 2-core CPU finishes in well under an hour: DHA, One-stage ISTA
# and Sequential DHA over three seeds (C=8, 5 cells, 5,000 training images, 3 epochs, the full 10,000-image test set),
# then the loss landscape (7x7 grid, 500 test images), flatness and top Hessian eigenvalue of each run's model (DHA Fig. 3). Prints mean +- sd per method.
#   bash tools/fashion_mnist_seeds.sh [OUT] [SEEDS]     (default OUT /tmp/autojoint-fashion-seeds, SEEDS "0 1 2")
# Needs the offline dataset (Debian: apt-get install -y dataset-fashion-mnist).
set -euo pipefail
OUT=${1:-/tmp/autojoint-fashion-seeds}; SEEDS=${2:-"0 1 2"}; mkdir -p "$OUT"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
for s in $SEEDS; do
  for m in dha ista seq-dha; do
    d="$OUT/$m-s$s"
    [ -f "$d/summary.json" ] || python3 -m autojoint search --method $m --dataset fashion_mnist --device cpu --seed "$s" \
      --set C=8 --set layers=5 --set limit_train=5000 --epochs 3 --quiet --overwrite --threads 1 --out "$d"
    [ -f "$d/landscape.json" ] || python3 -m autojoint landscape --run "$d" --steps 7 --span 0.5 --limit-test 500 \
      --radius 0.1 --hessian-iters 5 --device cpu --quiet
  done
done
python3 "$(dirname "$0")/seed_table.py" "$OUT"

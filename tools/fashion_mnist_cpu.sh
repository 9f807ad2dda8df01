#!/usr/bin/env bash
# The Fashion-MNIST comparisons of 35_dha and 36_daas at a size a 2-core CPU finishes in about an hour
# (a smaller supernet, C=8 and 5 cells, and part of the training set), for machines without a GPU.
# The GPU version, at the dataset preset's size, is the `search` part of tools/device_checks.sh.
#   bash tools/fashion_mnist_cpu.sh [OUT]      (default OUT: /tmp/autojoint-fashion-cpu)
# Needs the offline dataset (Debian: apt-get install -y dataset-fashion-mnist). Prints the table of runs.
set -euo pipefail
OUT=${1:-/tmp/autojoint-fashion-cpu}; mkdir -p "$OUT"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
aj() { python3 -m autojoint "$@" --dataset fashion_mnist --device cpu --seed 0 --quiet; }
small="--set C=8 --set layers=5"
for m in dha ista seq-dha; do   # DHA's Tables 1 and 3: one stage vs architecture only vs two stages
  aj search --method $m $small --set limit_train=10000 --epochs 4 --out "$OUT/$m"
done
aj search --method daas $small --set limit_train=4000 --epochs 5 --out "$OUT/daas"   # warm-up 2 epochs, joint 3
for pol in learned darts; do    # DAAS's Table 4: the derived network retrained under each augmentation
  aj train --genotype "$OUT/daas/genotype.json" $([ $pol = learned ] && echo --policy "$OUT/daas/policy.json") \
    --set C=16 --set layers=8 --set limit_train=10000 --epochs 5 --out "$OUT/retrain-$pol"
done
python3 "$(dirname "$0")/run_table.py" "$OUT"

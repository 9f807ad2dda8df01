#!/usr/bin/env bash
# The GPU checks of issues 2-7, run on the lent GPU machine in two calls of at most 10 minutes each.
# Prepare here first:   bash tools/device_prepare.sh      (wheels into .whl/, Fashion-MNIST into .data/)
# Then, with the device tool (a session has 15 minutes of device time, the machine's start included, so
# usually one call fits: run `bench` first; each part runs its most valuable steps first):
#   run(command="bash tools/device_checks.sh bench", carry=[".whl", ".data"], timeout_s=600)
#   run(command="bash tools/device_checks.sh search", carry=[".whl", ".data"], timeout_s=600)
# Everything it prints is also in $OUT/checks.log; the bench JSON and the Fashion-MNIST summaries come
# back as $OUT/*.json. Each step has its own time limit and a failed step does not stop the others.
# Without a GPU, `QUICK=1 DEVICE=cpu bash tools/device_checks.sh` runs the same plumbing at toy sizes.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/autojoint-device-out}; mkdir -p "$OUT"
DEVICE=${DEVICE:-cuda}; QUICK=${QUICK:-}
exec > >(tee "$OUT/checks.log") 2>&1
export PYTHONUNBUFFERED=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
t0=$(date +%s)
step() { printf '\n==== %s  (t=%ss)\n' "$*" $(( $(date +%s) - t0 )); }
fails=()
check() {   # check NAME SECONDS CMD...: run with a time limit, record a failure, go on
  local name=$1 limit=$2; shift 2
  step "$name (limit ${limit}s)"
  timeout --signal=INT --kill-after=15 "$limit" "$@"; local rc=$?
  [ $rc -eq 0 ] || { echo "!!!! $name failed (exit $rc)"; fails+=("$name:$rc"); }
}

step "set-up"
if [ -d .whl ] && ls .whl/*.whl >/dev/null 2>&1; then
  pipt() { python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$@"; }
  # all at once; if one wheel does not fit this Python (they are built for CPython 3.12), one by one
  pipt .whl/*.whl 2>/dev/null || for w in .whl/*.whl; do pipt "$w" 2>/dev/null || echo "skipped $(basename "$w") (not for this Python)"; done
  export PYTHONPATH="$PYTHONPATH:/tmp/site" PATH="/tmp/site/bin:$PATH"
  python3 -c "import nbdev, execnb, IPython; print('nbdev', nbdev.__version__, 'execnb', execnb.__version__)" || echo "nbdev is not importable: the nbdev_test step will fail"
fi
if [ -d .data ] && ls .data/*.deb >/dev/null 2>&1 && [ ! -d /usr/share/datasets/fashion-mnist ]; then
  mkdir -p /tmp/fm && dpkg -x .data/*.deb /tmp/fm \
    && mkdir -p /usr/share/datasets && ln -sfn "$(dirname "$(find /tmp/fm -name 'train-images-idx3-ubyte*' | head -1)")" /usr/share/datasets/fashion-mnist
fi
if ! command -v dot >/dev/null && [ -x .data/gv/bin/dot ]; then   # the minimal graphviz from device_prepare.sh
  gv="$PWD/.data/gv"; mkdir -p /tmp/gvbin /tmp/gvplugins && cp -P "$gv"/graphviz/* /tmp/gvplugins/
  printf '#!/bin/sh\nLD_LIBRARY_PATH="%s/lib" GVBINDIR=/tmp/gvplugins exec "%s/bin/dot" "$@"\n' "$gv" "$gv" > /tmp/gvbin/dot
  chmod +x /tmp/gvbin/dot; export PATH="/tmp/gvbin:$PATH"; dot -c && echo 'digraph{a->b}' | dot -Tsvg | head -c 60; echo
fi
command -v dot >/dev/null || echo "no graphviz dot: 02_supernet's cell drawing will fail"
ls /usr/share/datasets/fashion-mnist 2>/dev/null || echo "no Fashion-MNIST: its searches will fail (run tools/device_prepare.sh here and carry .data)"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>/dev/null || true
python3 -c "import torch, torchvision, autojoint; print('torch', torch.__version__, 'torchvision', torchvision.__version__, 'cuda', torch.cuda.is_available())"

PART=${1:-all}   # all | bench | search
q=${QUICK:+--quick}
if [ "$PART" != search ]; then
  # most valuable first (the call may run out of time): the GPU cells of issues 2, 3 and 04_op_graphs, then the
  # benchmarks of issues 4, 6 and 5, then the compiled augmentation path
  if [ "$DEVICE" = cuda ]; then
    # the notebooks with GPU-only cells (31 and 32 run their Fashion-MNIST cells below, via the CLI; 01 has no
    # GPU cell and draws PNGs, which the minimal carried graphviz cannot)
    # (a script file, not `python3 -c`: fastcore's call_parse ignores the arguments of a `-c` program)
    printf 'from nbdev.test import nbdev_test\nnbdev_test()\n' > /tmp/nbdev_test_main.py
    check "nbdev_test --flags cuda" 150 python3 /tmp/nbdev_test_main.py --flags cuda --n_workers 6 --timing --file_glob '[0-2]*.ipynb' --skip_file_glob '01_*'
  fi
  check "bench_augment (grouped and fused paths)" 100 python3 bench/bench_augment.py --device "$DEVICE" $q
  graphs=; [ "$DEVICE" = cuda ] && graphs=--op-graphs      # eager and per-op CUDA graphs, same process
  check "bench_daas (CIFAR search setting, N=5, M=2)" 150 python3 bench/bench_daas.py --device "$DEVICE" $q $graphs --json "$OUT/bench_daas.json"
  check "bench_dha (CIFAR setting C=36, 20 cells, batch 96)" 100 python3 bench/bench_dha.py --device "$DEVICE" $q ${QUICK:+--steps 3}
  sizes="--only 32x256"; [ -n "$QUICK" ] || sizes="$sizes --only 32x4096"
  check "bench_augment (compiled path: torch.compile + CUDA graphs, DAAS ops)" 90 python3 bench/bench_augment.py --device "$DEVICE" $q \
    --compile --ops DAAS $sizes
fi

if [ "$PART" != bench ]; then
  # Fashion-MNIST searches (issues 5 and 6), bounded by limit_train so that each ends well inside its limit
  # (estimated from the ATen op counts at ~20 us per op: DHA ~0.1 s per step at C=16, 8 cells, DAAS ~0.6 s);
  # run folders stay in /tmp/runs, their summaries come back in fashion_summaries.json.
  rm -rf /tmp/runs; ep=${QUICK:+1}; small=${QUICK:+256}
  fm() { local name=$1 secs=$2; shift 2; check "fashion_mnist $name" "$secs" python3 -m autojoint search --dataset fashion_mnist \
    --device "$DEVICE" --out "/tmp/runs/$name" --log-every 100 "$@"; }
  fm dha 70 --method dha --epochs ${ep:-3} --set limit_train=${small:-9600}
  fm ista 70 --method ista --epochs ${ep:-3} --set limit_train=${small:-9600}
  fm seq-dha 90 --method seq-dha --epochs ${ep:-3} --set limit_train=${small:-9600}
  fm daas 90 --method daas --epochs ${ep:-2} --set warmup_epochs=1 --set limit_train=${small:-6400}
  # DAAS is two-stage: retrain the derived genotype from scratch, with the learned policy and with the DARTS
  # default augmentation (DAAS Table 4's comparison)
  for pol in learned darts; do
    check "fashion_mnist daas retrain ($pol augmentation)" 50 python3 -m autojoint train --genotype /tmp/runs/daas/genotype.json \
      $([ $pol = learned ] && echo --policy /tmp/runs/daas/policy.json) --dataset fashion_mnist --device "$DEVICE" \
      --epochs ${ep:-3} --set limit_train=${small:-12000} --out /tmp/runs/daas-retrain-$pol --log-every 100
  done
  python3 tools/run_table.py /tmp/runs --json "$OUT/fashion_summaries.json"
  # the tutorial's DHA section: a short real search (paper network, 100 steps of Fashion-MNIST) with the
  # dashboard attached, executed in place; the notebook with its outputs comes back
  tut=nbs/tutorials/full_gpu_search.ipynb
  if [ "$DEVICE" = cuda ]; then
    export AUTOJOINT_QUICK=0 AUTOJOINT_SETTINGS='{"dataset": "fashion_mnist", "epochs": 1, "limit_train": 9600}'
  fi
  run_copy=nbs/tutorials/_device_run.ipynb; cp $tut $run_copy      # '_': nbdev ignores it; the source stays as it is
  check "tutorial (DHA section, dashboard attached)" 120 python3 tools/run_nb.py $run_copy
  unset AUTOJOINT_QUICK AUTOJOINT_SETTINGS
  mv $run_copy "$OUT/full_gpu_search.ipynb"
  grep -o 'dashboard overhead[^"]*' "$OUT/full_gpu_search.ipynb" | head -3
fi

step "done"
if [ ${#fails[@]} -gt 0 ]; then echo "failed: ${fails[*]}"; exit 1; fi
echo "all device checks passed"

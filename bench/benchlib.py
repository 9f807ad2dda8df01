"""Shared pieces of the step benchmarks: a wall-clock timer (CUDA events on a GPU) and an ATen op counter.

The op count matters because at the search sizes every GPU kernel is tiny: a step is bound by launching
kernels (Python, dispatcher, CUDA launch), not by arithmetic, so its GPU time follows the number of ops
dispatched. Not every ATen op launches a kernel (views, `empty` do not), but the count is the same on any
machine, so two steps can be compared without a GPU."""
import time
import torch
from torch.utils._python_dispatch import TorchDispatchMode


class Timer:
    "Milliseconds per call of `fn` (after `warmup` calls), and the peak GPU memory in GiB (nan on the CPU)."
    def __init__(self, device): self.cuda = torch.device(device).type == 'cuda'
    def __call__(self, fn, iters, warmup):
        for _ in range(warmup): fn()
        if self.cuda:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record()
            for _ in range(iters): fn()
            b.record()
            torch.cuda.synchronize()
            return a.elapsed_time(b) / iters, torch.cuda.max_memory_allocated() / 2**30
        t = time.perf_counter()
        for _ in range(iters): fn()
        return (time.perf_counter() - t) * 1e3 / iters, float('nan')


class OpCounter(TorchDispatchMode):
    "Counts the ATen operations dispatched (forward, backward, optimisers) inside a `with` block."
    def __init__(self):
        super().__init__()
        self.n = 0
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.n += 1
        return func(*args, **(kwargs or {}))


def count_ops(fn):
    "ATen operations dispatched by one call of `fn`."
    with OpCounter() as c: fn()
    return c.n

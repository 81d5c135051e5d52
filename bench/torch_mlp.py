"""PyTorch row of `npm run bench` (run by bench/run.ts with Debian's /usr/bin/python3).

Reads the data, the fixed order and the shared initial weights that bench/run.ts wrote (see bench/common.ts),
trains nn.Linear/ReLU/nn.Linear with cross-entropy on pre-cut batches, on spec.threads threads (default 1), and
prints one `@@RESULT {json}` line (spec.label, when given, marks a comparison row in the library name). The parent leaves OpenBLAS's own core detection alone (it sets
OPENBLAS_CORETYPE only where that detection is known to be wrong, see bench/probe/machine.ts), unsets
OPENBLAS_L2_SIZE and sets OMP/OpenBLAS threads to spec.threads; this script calls torch.set_num_threads the same
and reports which OpenBLAS kernel (openblas_get_corename) the loaded BLAS uses.
"""
import ctypes
import json
import os
import resource
import sys
import time

import numpy as np
import torch

spec = json.loads(sys.argv[1])
task = spec["task"]
data_dir = spec["dataDir"]
torch.set_num_threads(int(spec.get("threads", 1)))


def blas_info():
    """The BLAS libraries mapped into this process, and OpenBLAS's core name and config where it is OpenBLAS."""
    libs = []
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if "blas" in os.path.basename(path) and path not in libs:
                libs.append(path)
    core, config = None, None
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            fn = lib.openblas_get_corename
            fn.restype = ctypes.c_char_p
            core = fn().decode()
            cfg = lib.openblas_get_config
            cfg.restype = ctypes.c_char_p
            config = cfg().decode()
            break
        except (OSError, AttributeError):
            continue
    return libs, core, config


meta = json.load(open(os.path.join(data_dir, "meta.json")))
inputs, classes = meta["inputs"], meta["classes"]
train_x = np.fromfile(os.path.join(data_dir, "train_x.f32"), dtype=np.float32).reshape(-1, inputs)
train_y = np.fromfile(os.path.join(data_dir, "train_y.i32"), dtype=np.int32).astype(np.int64)
order = np.fromfile(os.path.join(data_dir, "order.i32"), dtype=np.int32).astype(np.int64)
test_x = torch.from_numpy(np.fromfile(os.path.join(data_dir, "test_x.f32"), dtype=np.float32).reshape(-1, inputs))
test_y = torch.from_numpy(np.fromfile(os.path.join(data_dir, "test_y.i32"), dtype=np.int32).astype(np.int64))
init = np.fromfile(os.path.join(data_dir, "init_%s.f32" % task["task"]), dtype=np.float32)

widths = task["widths"]
layers = []
off = 0
for i in range(1, len(widths)):
    lin = torch.nn.Linear(widths[i - 1], widths[i], bias=True)
    n = widths[i] * widths[i - 1]
    with torch.no_grad():
        lin.weight.copy_(torch.from_numpy(init[off:off + n].reshape(widths[i], widths[i - 1])))
        lin.bias.zero_()
    off += n
    layers.append(lin)
    if i < len(widths) - 1:
        layers.append(torch.nn.ReLU())
assert off == init.size, "init size mismatch"
model = torch.nn.Sequential(*layers)
loss_fn = torch.nn.CrossEntropyLoss()
if spec["optimizer"] == "sgd":
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
else:
    a = spec["adam"]
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(a["beta1"], a["beta2"]), eps=a["eps"])

# the fixed order, batches pre-cut outside the timed loop
X = torch.from_numpy(np.ascontiguousarray(train_x[order]))
Y = torch.from_numpy(np.ascontiguousarray(train_y[order]))
B = task["batch"]
batches = [(X[s:s + B], Y[s:s + B]) for s in range(0, X.shape[0], B)]
count = X.shape[0]


def wants_another(done, elapsed):
    if done < task["accuracyEpoch"]:
        return True
    if done - 1 >= task["maxTimed"]:
        return False
    return elapsed < task["budgetSeconds"]


epoch_seconds = []
epoch1_loss = float("nan")
acc = float("nan")
t0 = time.perf_counter()
epoch = 0
while True:
    epoch += 1
    te = time.perf_counter()
    loss_sum = 0.0
    for xb, yb in batches:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        loss_sum += loss.item() * xb.shape[0]
    epoch_seconds.append(time.perf_counter() - te)
    if epoch == 1:
        epoch1_loss = loss_sum / count
    if epoch == task["accuracyEpoch"]:
        with torch.no_grad():
            acc = (model(test_x).argmax(1) == test_y).float().mean().item()
    if not wants_another(epoch, time.perf_counter() - t0):
        break

libs, core, config = blas_info()
notes = ["custom loop: zero_grad/backward/step", "batches pre-cut outside the timed loop"]
if spec.get("label"):
    notes.append(spec["label"])
if core is None:
    notes.append("no OpenBLAS in this process (BLAS: %s)" % (", ".join(libs) or "none found"))
backend = "OpenBLAS %s" % core if core else "BLAS: %s" % (", ".join(os.path.basename(p) for p in libs) or "?")
env_note = "OPENBLAS_CORETYPE=%s" % os.environ.get("OPENBLAS_CORETYPE", "(unset)")
def peak_rss_mb():
    """This process's own high-water mark (VmHWM): ru_maxrss starts at the parent's RSS at fork on Linux."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


result = {
    "library": "PyTorch %s (Debian python3-torch)%s" % (torch.__version__, " [%s]" % spec["label"] if spec.get("label") else ""),
    "backend": "%s (%s)" % (backend, env_note),
    "threads": "%d intra-op / %s BLAS" % (torch.get_num_threads(), os.environ.get("OPENBLAS_NUM_THREADS", "default")),
    "task": task["task"],
    "optimizer": spec["optimizer"],
    "epochSeconds": epoch_seconds,
    "epoch1Loss": epoch1_loss,
    "testAccuracy": acc,
    "peakRssMB": peak_rss_mb(),
    "notes": notes,
    "openblas": {"corename": core, "config": config, "libraries": libs},
}
ru = resource.getrusage(resource.RUSAGE_SELF)
result["cpuSeconds"] = ru.ru_utime + ru.ru_stime
print("@@RESULT " + json.dumps(result), flush=True)

#!/usr/bin/python3
"""Golden fixtures for Nabla's optimizers, schedules and activations, computed by PyTorch.

Run (needs Debian's python3-torch; CI does not, it reads the committed JSON):

    /usr/bin/python3 scripts/torch-fixtures.py

writes test/fixtures/torch/optim-golden.json and test/fixtures/torch/activations-golden.json.

Activations: for every hidden activation, f(z) and f'(z) by autograd on a grid of float32 z
values, and the cost and every parameter's gradient of a 3/5/3 network (softmax + cross-entropy)
with that activation on the ten samples below, all in float64.

For three small networks (one per cost), with initial weights drawn here from a fixed seed and
written into the fixture, the same data batches in the same fixed order, it runs STEPS updates of
every optimizer configuration and of every schedule, and records all weights after every update.

Conventions, chosen to match Nabla's:
- everything is computed in float64; the initial weights and data are first rounded to float32
  so that Nabla's Float32Array parameters start from exactly the same numbers;
- weights in nn.Linear layout: W is out × in (flattened row-major), then the bias; the parameter
  list is [W1, b1, W2, b2];
- the cost is the mean over the samples of the batch of the per-sample cost:
    quadratic:      C = mean_i ½‖ŷᵢ − tᵢ‖²   = 0.5 * ((yhat - t) ** 2).sum(1).mean()
    binary CE:      nn.BCEWithLogitsLoss() on the logits of the single sigmoid output
    categorical CE: nn.CrossEntropyLoss() on the logits (targets stored one-hot in the fixture);
- a schedule is a torch.optim.lr_scheduler stepped once per batch, after optimizer.step(), so
  update k (0-based) uses lr(k): StepLR, ExponentialLR and CosineAnnealingLR are PyTorch's own;
  inverse-time decay and warm-up have no PyTorch class and use LambdaLR with the closed forms
  written out below;
- reduce-on-plateau: torch's ReduceLROnPlateau fed fixed metric sequences; the lr after each epoch.
"""

import json
import math
import os

import torch
from torch import nn

STEPS = 6
SAMPLES = 10
BATCH = 4
SEED = 20240611


def f32(t):
    """Rounds a float64 tensor to the nearest float32 values (kept as float64)."""
    return t.to(torch.float32).to(torch.float64)


def rounded(values):
    """Plain Python floats with 12 significant digits (the test's tolerance is 1e-5)."""
    return [float("%.12g" % v) for v in values]


gen = torch.Generator().manual_seed(SEED)


def uniform(*shape, low=-1.0, high=1.0):
    return f32(torch.rand(*shape, generator=gen, dtype=torch.float64) * (high - low) + low)


# ---- networks (one per cost) -------------------------------------------------------------

NETWORKS = {
    "quadratic": {"sizes": [3, 4, 2], "hidden": "tanh", "output": "identity", "cost": "quadratic"},
    "binary-cross-entropy": {"sizes": [3, 4, 1], "hidden": "relu", "output": "sigmoid", "cost": "binary-cross-entropy"},
    "cross-entropy": {"sizes": [3, 5, 3], "hidden": "sigmoid", "output": "softmax", "cost": "cross-entropy"},
}

HIDDEN = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}

for spec in NETWORKS.values():
    n0, n1, n2 = spec["sizes"]
    # Glorot-uniform-sized weights, biases small: nothing saturates, every unit gets gradient.
    spec["weights"] = [uniform(n1, n0, low=-0.9, high=0.9), uniform(n2, n1, low=-0.9, high=0.9)]
    spec["biases"] = [uniform(n1, low=-0.2, high=0.2), uniform(n2, low=-0.2, high=0.2)]
    spec["x"] = uniform(SAMPLES, n0)
    if spec["cost"] == "quadratic":
        spec["t"] = uniform(SAMPLES, n2)
    elif spec["cost"] == "binary-cross-entropy":
        labels = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1, 1, 0])
        spec["t"] = labels.to(torch.float64).reshape(SAMPLES, 1)
    else:
        labels = torch.tensor([0, 1, 2, 2, 1, 0, 1, 2, 0, 1])
        spec["t"] = nn.functional.one_hot(labels, n2).to(torch.float64)


def build(spec):
    n0, n1, n2 = spec["sizes"]
    model = nn.Sequential(nn.Linear(n0, n1), HIDDEN[spec["hidden"]](), nn.Linear(n1, n2)).to(torch.float64)
    with torch.no_grad():
        model[0].weight.copy_(spec["weights"][0])
        model[0].bias.copy_(spec["biases"][0])
        model[2].weight.copy_(spec["weights"][1])
        model[2].bias.copy_(spec["biases"][1])
    return model


def cost(spec, logits, t):
    if spec["cost"] == "quadratic":
        return 0.5 * ((logits - t) ** 2).sum(1).mean()
    if spec["cost"] == "binary-cross-entropy":
        return nn.BCEWithLogitsLoss()(logits, t)
    return nn.CrossEntropyLoss()(logits, t.argmax(1))


def params_of(model):
    """[W1, b1, W2, b2] flattened, W row-major out × in."""
    return [rounded(p.detach().reshape(-1).tolist()) for p in (model[0].weight, model[0].bias, model[2].weight, model[2].bias)]


# ---- the batches: two epochs of a fixed shuffle, the last batch of each smaller (4, 4, 2) -------

BATCHES = []
while len(BATCHES) < STEPS:
    order = torch.randperm(SAMPLES, generator=gen).tolist()
    BATCHES += [order[i : i + BATCH] for i in range(0, SAMPLES, BATCH)]
BATCHES = BATCHES[:STEPS]

# ---- optimizer configurations: Nabla's name and options, and the torch.optim equivalent --------


def torch_optimizer(name, o, params):
    lr = o["lr"]
    wd = o.get("weightDecay", 0.0)
    if name in ("sgd", "momentum", "nesterov"):
        momentum = o.get("momentum", 0.9 if name != "sgd" else 0.0)
        return torch.optim.SGD(params, lr=lr, momentum=momentum, dampening=o.get("dampening", 0.0),
                               nesterov=(name == "nesterov"), weight_decay=wd, foreach=False)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, lr_decay=o.get("lrDecay", 0.0), weight_decay=wd,
                                   initial_accumulator_value=o.get("initialAccumulatorValue", 0.0),
                                   eps=o.get("eps", 1e-10), foreach=False)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=o.get("alpha", 0.99), eps=o.get("eps", 1e-8),
                                   weight_decay=wd, momentum=o.get("momentum", 0.0),
                                   centered=o.get("centered", False), foreach=False)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)),
                                eps=o.get("eps", 1e-8), weight_decay=wd, amsgrad=o.get("amsgrad", False),
                                foreach=False)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)),
                                 eps=o.get("eps", 1e-8), weight_decay=o.get("weightDecay", 1e-2),
                                 amsgrad=o.get("amsgrad", False), foreach=False)
    raise ValueError(name)


OPTIMIZERS = [
    ("sgd", {"lr": 0.5}),
    ("sgd", {"lr": 0.5, "weightDecay": 0.05}),
    ("momentum", {"lr": 0.2, "momentum": 0.9}),
    ("momentum", {"lr": 0.2, "momentum": 0.8, "dampening": 0.5, "weightDecay": 0.05}),
    ("nesterov", {"lr": 0.2, "momentum": 0.9}),
    ("nesterov", {"lr": 0.2, "momentum": 0.7, "weightDecay": 0.05}),
    ("adagrad", {"lr": 0.1}),
    ("adagrad", {"lr": 0.1, "lrDecay": 0.1, "weightDecay": 0.05, "initialAccumulatorValue": 0.1}),
    ("rmsprop", {"lr": 0.01}),
    ("rmsprop", {"lr": 0.01, "momentum": 0.9}),
    ("rmsprop", {"lr": 0.01, "centered": True}),
    ("rmsprop", {"lr": 0.01, "alpha": 0.9, "centered": True, "momentum": 0.5, "weightDecay": 0.05}),
    ("adam", {"lr": 0.02}),
    ("adam", {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "amsgrad": True, "weightDecay": 0.05}),
    ("adamw", {"lr": 0.02}),
    ("adamw", {"lr": 0.02, "weightDecay": 0.2, "amsgrad": True}),
]

# ---- schedules: Nabla's parseSchedule text and the lr_scheduler that equals it -------------------


def warmup_then(w, after):
    """Nabla's warmup(W, s): s(0)·(t+1)/W for t < W, then s(t − W); as a factor of the base lr."""
    return lambda t: after(0) * (t + 1) / w if t < w else after(t - w)


def torch_scheduler(text, opt):
    if text == "constant":
        return torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 1.0)
    if text == "step:2:0.5":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    if text == "exp:0.8":
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8)
    if text == "invtime:0.5:2":
        return torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 1.0 / (1.0 + 0.5 * t / 2))
    if text == "cosine:8:0.01":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8, eta_min=0.01)
    if text == "warmup:3+cosine:4":
        return torch.optim.lr_scheduler.LambdaLR(
            opt, warmup_then(3, lambda t: (1 + math.cos(math.pi * min(t, 4) / 4)) / 2))
    if text == "warmup:2+exp:0.7":
        return torch.optim.lr_scheduler.LambdaLR(opt, warmup_then(2, lambda t: 0.7 ** t))
    raise ValueError(text)


SCHEDULES = [
    ("sgd", {"lr": 0.5}, "constant"),
    ("sgd", {"lr": 0.5}, "step:2:0.5"),
    ("momentum", {"lr": 0.2, "momentum": 0.9}, "exp:0.8"),
    ("sgd", {"lr": 0.5}, "invtime:0.5:2"),
    ("nesterov", {"lr": 0.2, "momentum": 0.9}, "cosine:8:0.01"),
    ("adam", {"lr": 0.05}, "warmup:3+cosine:4"),
    ("rmsprop", {"lr": 0.02, "momentum": 0.5}, "warmup:2+exp:0.7"),
]


def run(spec, name, options, schedule):
    model = build(spec)
    opt = torch_optimizer(name, options, model.parameters())
    sched = torch_scheduler(schedule, opt) if schedule else None
    snapshots, losses, lrs = [], [], []
    for batch in BATCHES:
        x, t = spec["x"][batch], spec["t"][batch]
        opt.zero_grad()
        loss = cost(spec, model(x), t)
        loss.backward()
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if sched:
            sched.step()
        losses.append(loss.item())
        snapshots.append(params_of(model))
    return {
        "network": None,
        "optimizer": name,
        "options": options,
        "schedule": schedule,
        "torch": repr(opt).replace("\n", " "),
        "lr": rounded(lrs),
        "loss": rounded(losses),
        "params": snapshots,
    }


runs = []
for net_name, spec in NETWORKS.items():
    for name, options in OPTIMIZERS:
        r = run(spec, name, options, None)
        r["network"] = net_name
        runs.append(r)
    for name, options, schedule in SCHEDULES:
        r = run(spec, name, options, schedule)
        r["network"] = net_name
        runs.append(r)

# ---- reduce-on-plateau -----------------------------------------------------------------------

METRICS = [1.0, 0.9, 0.95, 0.91, 0.92, 0.8999, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.6, 0.61, 0.62, 0.63]
PLATEAUS = [
    ({"patience": 2, "factor": 0.5}, METRICS),
    ({"patience": 1, "factor": 0.5, "cooldown": 2}, METRICS),
    ({"patience": 1, "factor": 0.1, "minLr": 0.002, "baseLr": 0.1}, METRICS),
    ({"patience": 1, "factor": 0.5, "threshold": 0.05, "thresholdMode": "abs"}, METRICS),
    ({"mode": "max", "patience": 1, "factor": 0.5, "threshold": 0.01}, [0.5, 0.6, 0.605, 0.61, 0.7, 0.69, 0.7, 0.71, 0.705]),
    ({"patience": 0, "factor": 0.5, "baseLr": 1e-7}, [3, 2, 2, 2, 2, 2, 2]),
]

plateaus = []
for options, metrics in PLATEAUS:
    base = options.get("baseLr", 1.0)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode=options.get("mode", "min"), factor=options["factor"], patience=options["patience"],
        threshold=options.get("threshold", 1e-4), threshold_mode=options.get("thresholdMode", "rel"),
        cooldown=options.get("cooldown", 0), min_lr=options.get("minLr", 0.0))
    lrs = []
    for m in metrics:
        sched.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    plateaus.append({"options": options, "metrics": metrics, "lr": lrs})

fixture = {
    "generator": "scripts/torch-fixtures.py",
    "torch": torch.__version__,
    "dtype": "float64 (initial weights and data rounded to float32 first)",
    "layout": "params = [W1, b1, W2, b2], W out × in row-major (nn.Linear); params[k] are the weights after update k",
    "batches": BATCHES,
    "networks": {
        name: {
            "sizes": s["sizes"], "hidden": s["hidden"], "output": s["output"], "cost": s["cost"],
            "weights": [rounded(w.reshape(-1).tolist()) for w in s["weights"]],
            "biases": [rounded(b.tolist()) for b in s["biases"]],
            "x": [rounded(row) for row in s["x"].tolist()],
            "t": [rounded(row) for row in s["t"].tolist()],
        }
        for name, s in NETWORKS.items()
    },
    "runs": runs,
    "plateaus": plateaus,
}

# ---- activations -----------------------------------------------------------------------------

# Nabla's name -> the torch module, with the options Nabla's name implies.
ACTIVATIONS = {
    "identity": lambda: nn.Identity(),
    "sigmoid": lambda: nn.Sigmoid(),
    "tanh": lambda: nn.Tanh(),
    "relu": lambda: nn.ReLU(),
    "leaky-relu": lambda: nn.LeakyReLU(0.01),
    "leaky-relu:0.2": lambda: nn.LeakyReLU(0.2),
    "softplus": lambda: nn.Softplus(),
    "swish": lambda: nn.SiLU(),
    "gelu-tanh": lambda: nn.GELU(approximate="tanh"),
}

# z: a grid over [-6, 6] that misses 0 (ReLU's kink), random values, and large ones.
GRID = f32(torch.cat([torch.linspace(-6.05, 6.05, 122, dtype=torch.float64), uniform(40, low=-3, high=3),
                      torch.tensor([-30.0, -15.0, -9.5, 9.5, 15.0, 30.0], dtype=torch.float64)]))
ACT_NET = NETWORKS["cross-entropy"]

activations = {}
for name, make in ACTIVATIONS.items():
    z = GRID.clone().requires_grad_(True)
    a = make()(z)
    (dz,) = torch.autograd.grad(a.sum(), z)
    model = build({**ACT_NET, "hidden": "sigmoid"})
    model[1] = make()
    loss = cost(ACT_NET, model(ACT_NET["x"]), ACT_NET["t"])
    grads = torch.autograd.grad(loss, [model[0].weight, model[0].bias, model[2].weight, model[2].bias])
    activations[name] = {
        "torch": repr(model[1]),
        "f": rounded(a.detach().tolist()),
        "df": rounded(dz.tolist()),
        "network": {"cost": float("%.12g" % loss.item()), "grads": [rounded(g.reshape(-1).tolist()) for g in grads]},
    }

activation_fixture = {
    "generator": "scripts/torch-fixtures.py",
    "torch": torch.__version__,
    "dtype": "float64 (z, weights and data rounded to float32 first)",
    "layout": "f[i], df[i] at z[i]; network: the 3/5/3 softmax + cross-entropy network of optim-golden.json "
              "(its weights, x and t) with this hidden activation, the cost on all ten samples and the gradients of [W1, b1, W2, b2]",
    "z": rounded(GRID.tolist()),
    "activations": activations,
}

out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "torch")
for file, content in [("optim-golden.json", fixture), ("activations-golden.json", activation_fixture)]:
    with open(os.path.join(out_dir, file), "w") as f:
        json.dump(content, f, separators=(",", ":"))
        f.write("\n")

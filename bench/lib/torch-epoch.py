"""The same training as the Modelport trainer, in PyTorch, for bench/training-epoch.mjs.

Reads float32 features (or uint8 pixels) and int64 labels written by the bench, trains LeNet or
the 64-64 MLP for a few epochs with the given threads, and prints one JSON line: each epoch's
wall time (training plus the validation pass, as the trainer measures it) and validation accuracy.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn

args = json.loads(sys.argv[1])
torch.set_num_threads(args["threads"])
torch.manual_seed(args["seed"])
rng = np.random.default_rng(args["seed"])

labels = np.fromfile(args["y"], dtype=np.int64)
count = len(labels)
if args["kind"] == "lenet":
    side = args["side"]
    pixels = np.fromfile(args["x"], dtype=np.uint8).reshape(count, side, side, 3)
    x = torch.from_numpy(pixels.astype(np.float32) / 255.0).permute(0, 3, 1, 2).contiguous()
else:
    x = torch.from_numpy(np.fromfile(args["x"], dtype=np.float32).reshape(count, args["features"]))
y = torch.from_numpy(labels)

# A stratified split like the trainer's: the same share of each class held out.
validation = []
for c in range(args["classes"]):
    members = np.flatnonzero(labels == c)
    rng.shuffle(members)
    validation.extend(members[: int(round(len(members) * args["validation"]))])
held = np.zeros(count, dtype=bool)
held[validation] = True
train_idx = torch.from_numpy(np.flatnonzero(~held))
val_idx = torch.from_numpy(np.flatnonzero(held))

if args["kind"] == "table":
    mean = x[train_idx].mean(0)
    std = x[train_idx].std(0).clamp_min(1e-12)
    x = (x - mean) / std

if args["kind"] == "lenet":
    model = nn.Sequential(
        nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, args["classes"]),
    )
else:
    model = nn.Sequential(
        nn.Linear(args["features"], 64), nn.ReLU(),
        nn.Linear(64, 64), nn.ReLU(),
        nn.Linear(64, args["classes"]),
    )

# The trainer's initialisation (Keras's): Glorot-uniform weights, zero biases. PyTorch's own default
# (Kaiming-uniform with a = √5) learns LeNet more slowly, which would measure the initialisers rather
# than the training.
for layer in model.modules():
    if isinstance(layer, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)

if args["optimizer"] == "sgd":
    optimizer = torch.optim.SGD(model.parameters(), lr=args["lr"], momentum=args["momentum"])
else:
    optimizer = torch.optim.Adam(model.parameters(), lr=args["lr"])
loss_fn = nn.CrossEntropyLoss()
batch = args["batch"]

epoch_ms = []
val_accuracy = []
for epoch in range(args["epochs"]):
    start = time.perf_counter()
    model.train()
    order = train_idx[torch.randperm(len(train_idx))]
    for i in range(0, len(order), batch):
        rows = order[i : i + batch]
        optimizer.zero_grad()
        loss = loss_fn(model(x[rows]), y[rows])
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(val_idx), batch):
            rows = val_idx[i : i + batch]
            correct += (model(x[rows]).argmax(1) == y[rows]).sum().item()
    epoch_ms.append((time.perf_counter() - start) * 1000)
    val_accuracy.append(correct / len(val_idx))

print(json.dumps({"epochMs": epoch_ms, "valAccuracy": val_accuracy, "torch": torch.__version__}))

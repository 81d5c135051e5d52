#!/usr/bin/python3
"""Writes the ONNX import fixtures under test/fixtures/onnx/: MLPs exported by PyTorch and what PyTorch computes.

Run with Debian's Python (python3-torch 1.13, python3-onnx 1.12):

    /usr/bin/python3 scripts/onnx-fixtures.py

For each model NAME it writes NAME.onnx (torch.onnx.export of an nn.Sequential) and NAME.json:
  torch, opset, dtype   what wrote the file (constant_folding: false for the one exported without it)
  x                     fixed inputs, one row per sample
  y                     PyTorch's outputs for x, one row per sample
  linear                one entry per nn.Linear in order: its weight (out x in, PyTorch's layout), its bias or null,
                        and the gradients of sum(y) (over samples and outputs) with respect to both
Every random choice comes from the seed given below. (Re-running may change the last float32 digit of a recorded
output: PyTorch's and numpy's float32 products are not bit-reproducible across runs with threads.) Also written:
  softmax-middle.onnx   a Softmax between two Linear layers (import must refuse it)
  keras-dense.onnx/json the graph tf2onnx makes of a Keras Dense stack (MatMul with [in, out] weights, Add of the
                        bias, Relu / Sigmoid, an Identity node naming the output), built with onnx.helper because
                        tf2onnx and TensorFlow are not available here; its outputs are computed by numpy.
"""
import json
import os

import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "onnx")


def tolist(t):
    return t.detach().cpu().tolist()


def export(name, model, n_in, opset, seed, dtype=torch.float32, samples=5, fold=True):
    torch.manual_seed(seed)
    model = model.to(dtype)
    # Weights with varied scale so that every activation sees both signs and non-trivial slopes.
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * 0.8)
    x = torch.randn(samples, n_in, dtype=dtype) * 1.5
    path = os.path.join(OUT, f"{name}.onnx")
    torch.onnx.export(
        model,
        (x,),
        path,
        input_names=["x"],
        output_names=["y"],
        dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}},
        opset_version=opset,
        do_constant_folding=fold,
    )
    model.zero_grad()
    y = model(x)
    y.sum().backward()
    linear = []
    for index, module in enumerate(model):
        if isinstance(module, nn.Linear):
            linear.append(
                {
                    "module": index,
                    "weight": tolist(module.weight),
                    "bias": None if module.bias is None else tolist(module.bias),
                    "grad_weight": tolist(module.weight.grad),
                    "grad_bias": None if module.bias is None else tolist(module.bias.grad),
                }
            )
    record = {
        "torch": torch.__version__,
        "opset": opset,
        "constant_folding": fold,
        "dtype": "float64" if dtype == torch.float64 else "float32",
        "model": str(model),
        "x": tolist(x),
        "y": tolist(y),
        "linear": linear,
    }
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print(f"{name}: opset {opset}, {record['dtype']}, {model}")


def keras_dense(seed=7):
    """The graph tf2onnx writes for keras.Sequential([Dense(4, relu), Dense(2, sigmoid)]) on 3 inputs."""
    from onnx import TensorProto, helper, numpy_helper, save

    rng = np.random.default_rng(seed)
    W1 = rng.normal(size=(3, 4)).astype(np.float32)  # Keras kernels are [in, out]
    b1 = rng.normal(size=(4,)).astype(np.float32)
    W2 = rng.normal(size=(4, 2)).astype(np.float32)
    b2 = rng.normal(size=(2,)).astype(np.float32)
    nodes = [
        helper.make_node("MatMul", ["dense_input", "sequential/dense/MatMul/ReadVariableOp:0"], ["sequential/dense/MatMul:0"], name="sequential/dense/MatMul"),
        helper.make_node("Add", ["sequential/dense/MatMul:0", "sequential/dense/BiasAdd/ReadVariableOp:0"], ["sequential/dense/BiasAdd:0"], name="sequential/dense/BiasAdd"),
        helper.make_node("Relu", ["sequential/dense/BiasAdd:0"], ["sequential/dense/Relu:0"], name="sequential/dense/Relu"),
        helper.make_node("MatMul", ["sequential/dense/Relu:0", "sequential/dense_1/MatMul/ReadVariableOp:0"], ["sequential/dense_1/MatMul:0"], name="sequential/dense_1/MatMul"),
        helper.make_node("Add", ["sequential/dense_1/MatMul:0", "sequential/dense_1/BiasAdd/ReadVariableOp:0"], ["sequential/dense_1/BiasAdd:0"], name="sequential/dense_1/BiasAdd"),
        helper.make_node("Sigmoid", ["sequential/dense_1/BiasAdd:0"], ["sequential/dense_1/Sigmoid:0"], name="sequential/dense_1/Sigmoid"),
        helper.make_node("Identity", ["sequential/dense_1/Sigmoid:0"], ["dense_1"], name="Identity"),
    ]
    inits = [
        numpy_helper.from_array(W1, "sequential/dense/MatMul/ReadVariableOp:0"),
        numpy_helper.from_array(b1, "sequential/dense/BiasAdd/ReadVariableOp:0"),
        numpy_helper.from_array(W2, "sequential/dense_1/MatMul/ReadVariableOp:0"),
        numpy_helper.from_array(b2, "sequential/dense_1/BiasAdd/ReadVariableOp:0"),
    ]
    graph = helper.make_graph(
        nodes,
        "tf2onnx",
        [helper.make_tensor_value_info("dense_input", TensorProto.FLOAT, ["unk__6", 3])],
        [helper.make_tensor_value_info("dense_1", TensorProto.FLOAT, ["unk__7", 2])],
        initializer=inits,
    )
    model = helper.make_model(graph, producer_name="tf2onnx", producer_version="1.9.3", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    save(model, os.path.join(OUT, "keras-dense.onnx"))
    x = rng.normal(size=(4, 3)).astype(np.float32)
    h = np.maximum(x @ W1 + b1, 0)
    y = 1 / (1 + np.exp(-(h @ W2 + b2)))
    with open(os.path.join(OUT, "keras-dense.json"), "w") as f:
        json.dump({"producer": "onnx.helper in the tf2onnx layout", "x": x.tolist(), "y": y.astype(np.float64).tolist(), "kernels": [W1.tolist(), W2.tolist()], "biases": [b1.tolist(), b2.tolist()]}, f, indent=1)
        f.write("\n")
    print("keras-dense: MatMul + Add + Relu, MatMul + Add + Sigmoid, Identity (opset 13)")


def main():
    os.makedirs(OUT, exist_ok=True)
    export("relu-op17", nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2)), 3, 17, seed=1)
    export("tanh-sigmoid-nobias-op11", nn.Sequential(nn.Linear(4, 6, bias=False), nn.Tanh(), nn.Linear(6, 3, bias=False), nn.Sigmoid()), 4, 11, seed=2)
    export(
        "deep-leaky-elu-softplus-op13",
        nn.Sequential(nn.Flatten(), nn.Linear(2, 8), nn.LeakyReLU(0.01), nn.Linear(8, 8), nn.ELU(), nn.Linear(8, 4), nn.Softplus(), nn.Linear(4, 1)),
        2,
        13,
        seed=3,
    )
    export(
        "gelu-silu-identity-op17",
        nn.Sequential(nn.Linear(3, 4), nn.GELU(approximate="tanh"), nn.Linear(4, 4), nn.SiLU(), nn.Linear(4, 2), nn.Identity()),
        3,
        17,
        seed=4,
    )
    export("gelu-silu-op11", nn.Sequential(nn.Linear(2, 3), nn.GELU(approximate="tanh"), nn.Linear(3, 3), nn.SiLU(), nn.Linear(3, 1)), 2, 11, seed=5)
    export("tanh-float64-op13", nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)), 3, 13, seed=6, dtype=torch.float64)
    export("mixed-bias-op17", nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 2, bias=False)), 2, 17, seed=8)
    export("nobias-unfolded-op13", nn.Sequential(nn.Linear(3, 4, bias=False), nn.Tanh(), nn.Linear(4, 2, bias=False)), 3, 13, seed=10, fold=False)
    export("softmax-middle", nn.Sequential(nn.Linear(3, 4), nn.Softmax(dim=1), nn.Linear(4, 2)), 3, 13, seed=9)
    keras_dense()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Checks Nabla's model files against PyTorch (not run in CI; needs Debian's python3-torch).

    /usr/bin/python3 test/io/torch-interop.py load MODEL.safetensors   < inputs.json  > outputs.json
    /usr/bin/python3 test/io/torch-interop.py save OUT.safetensors     < inputs.json  > outputs.json

`load` reads a file Nabla wrote into nn.Sequential(Linear, act, ..., Linear, out) with
load_state_dict(strict=True) and prints the network's outputs for the input rows. `save` makes a
seeded 5/7/3 tanh/softmax network in PyTorch, writes its state_dict as safetensors with the
architecture in __metadata__, and prints its outputs, for Nabla to load and compare.

Debian ships no python3-safetensors, so the file is read and written here with struct and json,
straight from the format's definition (8-byte LE header length, JSON header, LE tensor bytes).
"""
import json
import struct
import sys

import torch
from torch import nn

ACTIVATIONS = {'relu': nn.ReLU, 'tanh': nn.Tanh, 'sigmoid': nn.Sigmoid, 'identity': nn.Identity,
               'softplus': nn.Softplus, 'swish': nn.SiLU, 'softmax': lambda: nn.Softmax(dim=1)}


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop('__metadata__', {})
    buf = data[8 + n:]
    tensors = {}
    for name, e in header.items():
        assert e['dtype'] == 'F32', e
        a, b = e['data_offsets']
        tensors[name] = torch.frombuffer(bytearray(buf[a:b]), dtype=torch.float32).reshape(e['shape'])
    return tensors, meta


def write_safetensors(path, tensors, meta):
    header, blobs, offset = {'__metadata__': meta}, [], 0
    for name, t in tensors.items():
        raw = t.detach().to(torch.float32).contiguous().numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header).encode()
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def sequential(sizes, hidden, output, alpha=None):
    # 'hidden' is one name for every hidden layer, or a JSON list of one name per hidden layer;
    # 'alpha' (hidden_alpha) one leaky-relu slope, or a list of one per hidden layer
    names = json.loads(hidden) if hidden.startswith('[') else [hidden] * (len(sizes) - 2)
    alphas = alpha if isinstance(alpha, list) else [alpha] * (len(sizes) - 2)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(alphas[i]) if names[i] == 'leaky-relu' else ACTIVATIONS[names[i]]())
        else:
            layers.append(ACTIVATIONS[output]())
    return nn.Sequential(*layers)


def main():
    mode, path = sys.argv[1], sys.argv[2]
    x = torch.tensor(json.load(sys.stdin), dtype=torch.float32)
    if mode == 'load':
        tensors, meta = read_safetensors(path)
        alpha = json.loads(meta['hidden_alpha']) if 'hidden_alpha' in meta else None
        net = sequential(json.loads(meta['sizes']), meta['hidden'], meta['output'], alpha)
        net.load_state_dict(tensors, strict=True)
        if 'scaling' in meta:
            s = json.loads(meta['scaling'])
            x = (x - torch.tensor(s['shift'])) * torch.tensor(s['scale'])
    else:
        torch.manual_seed(0)
        net = sequential([5, 7, 3], 'tanh', 'softmax')
        # the output module (index 3) holds no tensors, so the state_dict is 0.*, 2.*
        write_safetensors(path, net.state_dict(), {'sizes': '[5, 7, 3]', 'hidden': 'tanh', 'output': 'softmax', 'cost': 'cross-entropy'})
    with torch.no_grad():
        print(json.dumps(net(x).tolist()))


main()

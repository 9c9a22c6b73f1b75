#!/usr/bin/python3
"""Checks ONNX files written by `nabla export` with the official onnx package (not run in CI;
needs Debian's python3-onnx):

    /usr/bin/python3 test/io/onnx-check.py MODEL.onnx [MORE.onnx ...]

For each file: onnx.checker.check_model with full_check (the IR, the opset, every node against its
operator schema, and shape inference), then the IR version, opsets, inferred output shape, node
list and metadata_props are printed. Exits non-zero on the first file the checker rejects.
"""
import sys

import onnx


def main(paths):
    for path in paths:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        out = inferred.graph.output[0]
        shape = [d.dim_param or d.dim_value for d in out.type.tensor_type.shape.dim]
        opsets = ', '.join(f'{o.domain or "ai.onnx"} {o.version}' for o in model.opset_import)
        print(f'{path}: check_model OK (onnx {onnx.__version__}); IR {model.ir_version}, opset {opsets}; '
              f'{model.graph.input[0].name} -> {out.name} {shape}')
        print('  nodes:', ' '.join(n.op_type for n in model.graph.node))
        print('  metadata:', {p.key: p.value for p in model.metadata_props})


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])

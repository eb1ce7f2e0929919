"""Model runtime: loading packaged ONNX model folders (onnx_model.py), length-sorted batching\n(batching.py) and the sentence embedder (embedder.py, onnx_embedder.py)."""

"""Converters that turn third-party models into our ONNX bundles."""

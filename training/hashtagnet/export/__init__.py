"""Export stage: verified model bundles (ONNX + manifest), their parity, int8 study and latency."""

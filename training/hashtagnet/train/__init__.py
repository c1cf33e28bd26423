"""Train stage: the one training loop, its recipe, losses, sampling, checkpoints, transfer and evaluation."""

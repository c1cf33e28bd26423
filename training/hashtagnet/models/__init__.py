"""Models stage: the classifier architectures (pretrained EfficientNet-Lite, trunks for hashtag pretraining)."""

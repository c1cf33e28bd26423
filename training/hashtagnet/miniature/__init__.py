"""The weak-supervision miniature: hashtag pretraining then transfer, end to end on CPU."""

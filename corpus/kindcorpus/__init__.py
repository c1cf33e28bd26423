"""A weakly labelled corpus of image kinds, made on this machine from installed packages and renderers."""

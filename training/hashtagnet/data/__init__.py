"""Data stage: streaming readers, real and synthetic photos, the resize rule, decoded training tables, de-duplication."""

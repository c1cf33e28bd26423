"""Kind and scene heads on the frozen served trunk: pooled features, weak scene labels, training, export, evaluation."""

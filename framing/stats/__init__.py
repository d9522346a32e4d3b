"""Statistics: outlet summaries, per-article aggregates, resampling intervals, contrasts between outlets."""

"""Stance toward each entity mention: the extractor, its features, the model (shipped as data) and its training."""

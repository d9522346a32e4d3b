"""Cross-document steps: story grouping, same-story alignment, substitutions, distinctive terms."""

"""Output: tables as CSV / Markdown / LaTeX / Parquet, figures, and views for notebooks."""

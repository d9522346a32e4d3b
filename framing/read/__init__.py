"""Read: records from files and folders (JSONL, CSV, Parquet, .txt + manifest, HTML), decoded and validated."""

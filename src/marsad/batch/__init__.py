"""Extraction over a large corpus on a dask cluster, and the bulk load of its output into the store.

`run_batch(inputs, outdir)` reads sharded JSONL, CSV or Parquet (one task per file) and writes Parquet
partitions of documents, records and failures (`partitions.py`); `load_batch(engine, outdir)` stores
them and resolves events once. The CLI's `marsad batch` and `marsad load` call these two.
"""

from marsad.batch.load import load_batch
from marsad.batch.run import BatchStats, ShardResult, run_batch

__all__ = ["BatchStats", "ShardResult", "load_batch", "run_batch"]

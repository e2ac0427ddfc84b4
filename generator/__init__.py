"""An annotated reading archive: news articles cleaned, linked to entities and annotated, built
into a static site with MkDocs."""

import os

__version__ = "0.1.0"

BLAS_THREADS = "OPENBLAS_NUM_THREADS"
"""The language model's arrays go through the BLAS library that NumPy ships (OpenBLAS), which by
default starts a thread for every core when it is loaded and splits calls with them. On the
model's small matrices that costs more than it gives: started with one thread, a process finds
the same entities in a fifth less CPU time (12.7 s against 10.3 s for 250 articles in one
process; likewise in the two processes a large run forks). OpenBLAS reads this variable once,
as NumPy is loaded, so it is set here, before anything of the archive loads NumPy; processes
the archive starts (the model's, a local Dask cluster's) inherit it. A value set already (an
operator's own) is kept."""
os.environ.setdefault(BLAS_THREADS, "1")

"""sitrep: news articles in, a merged, source-attributed record of security events out."""

import os

# One BLAS thread per process, unless the caller set otherwise. sitrep runs in parallel by processes;
# natasha's small numpy convolutions (the Russian reader) ran 27x slower per sentence with OpenBLAS's
# default of a thread per core on a shared 2-core machine (0.22 s vs 0.008 s). Read by OpenBLAS when
# numpy is first imported, so it is set before any module of sitrep imports numpy.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"

"""``python -m mlkata.worker``: start the worker zygote."""

import os

# One thread per worker: grading runs one worker per core, and BLAS thread pools would only fight.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from mlkata.worker.zygote import main  # noqa: E402  (the thread settings must come first)

raise SystemExit(main())

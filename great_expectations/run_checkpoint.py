#!/usr/bin/env python3
"""The warehouse's GX checkpoint for one day; see listening_warehouse/checkpoint.py.

    .venv/warehouse/bin/python great_expectations/run_checkpoint.py --target local --date 2026-11-20
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from listening_warehouse.checkpoint import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

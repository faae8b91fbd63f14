#!/usr/bin/env python3
"""Builds the self-contained HTML listening report; see listening_warehouse/report.py.

    .venv/warehouse/bin/python report/build_report.py --run-dir data/local
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from listening_warehouse.report import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

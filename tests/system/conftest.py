"""System tests start real processes through one harness (tests/processes.py)."""

from tests.processes import processes  # noqa: F401 - the fixture every system test that starts a process uses

"""Print pins for the lowest versions pyproject.toml allows for the runtime dependencies.

The same idea as uv's lowest-direct resolution: every direct dependency at its floor,
what they pull in at whatever the resolver picks. Run by .ci/run, so a release that
raises a floor's behaviour cannot break users before it breaks CI.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path(sys.argv[1]).read_text())["project"]
for requirement in project["dependencies"]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement)
    if match is None:
        sys.exit(f"cannot read the requirement {requirement!r}")
    name, spec = match.groups()
    floor = re.search(r">=\s*([^,;\s]+)", spec)
    if floor is None:
        sys.exit(f"{name} has no lower bound (>=): every dependency needs one")
    print(f"{name}=={floor.group(1)}")

"""The web app starts without the model's libraries: they cost seconds per worker start.

scikit-learn, skops, scipy and pandas belong to the scoring path
(``portal.mentoring.services.scoring`` and the domains' ``analytics`` modules), which only
``portal ml``, the demo seed and the scoring mutation import. A fresh interpreter is needed: the
test process has loaded them already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("sklearn", "skops", "scipy", "pandas")
ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import portal.app
portal.app.create_app()
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
"""


def test_building_the_app_loads_no_model_library() -> None:
    # given a fresh interpreter, when it imports the app and builds it (no database needed)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )

    # then none of the heavy libraries was imported
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert loaded & set(HEAVY) == set(), (
        'find who imports them with: python -X importtime -c "import portal.app"'
    )

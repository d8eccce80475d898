import subprocess
import sys

import pytest

pytestmark = pytest.mark.pure


def test_matching_engine_imports_no_django():
    code = (
        "import sys, coproduce.timebank.matching, coproduce.timebank.matching.testing;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

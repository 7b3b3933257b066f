"""Documentation: the Sphinx build, numpydoc validation and the demo command."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sklearn_lnn.utils import all_estimators

ROOT = Path(__file__).resolve().parents[1]

# numpydoc checks we do not follow: see-also descriptions on every entry,
# summaries of inherited scikit-learn methods, examples on every method.
IGNORED = {"GL01", "GL02", "SA01", "SA04", "EX01", "ES01", "RT02", "PR02", "GL08"}


def test_sphinx_builds_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         str(ROOT / "docs"), str(tmp_path)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    for page in ("ReservoirTransformer", "LNNClassifier", "LNNRegressor"):
        assert (tmp_path / "generated" / f"sklearn_lnn.{page}.html").exists()
    # the gallery: every example was executed and drew its figure
    examples = sorted((ROOT / "docs" / "examples").glob("plot_*.py"))
    assert len(examples) >= 5
    images = tmp_path / "_images"
    for example in examples:
        assert (tmp_path / "auto_examples" / f"{example.stem}.html").exists()
        assert list(images.glob(f"sphx_glr_{example.stem}_*.png")), example.name


def _public_methods():
    for name, cls in all_estimators():
        yield f"sklearn_lnn.{name}"
        for method in ("fit", "transform", "compute_states", "predict",
                       "predict_proba", "decision_function", "score", "update"):
            if any(method in vars(k) for k in cls.__mro__ if k.__module__.startswith("sklearn_lnn")):
                yield f"sklearn_lnn.{name}.{method}"


@pytest.mark.parametrize("qualname", list(_public_methods()))
def test_numpydoc_valid(qualname):
    validate = pytest.importorskip("numpydoc.validate").validate
    errors = [(code, msg) for code, msg in validate(qualname)["errors"]
              if code not in IGNORED]
    assert not errors, errors


def test_main_command_tunes_scores_and_round_trips(capsys):
    from sklearn_lnn.__main__ import main

    assert main(["--n-jobs", "2"]) == 0
    out = capsys.readouterr().out
    accuracy = float(re.search(r"Held-out test accuracy: ([0-9.]+)", out).group(1))
    assert accuracy >= 0.97
    assert "predictions identical" in out
    assert "Best parameters: {'leak_rate'" in out


def test_readme_tour_runs():
    """The README's forecasting and online examples run as written (the
    grid search compiles; it takes a minute, so it runs in the demo's stead)."""
    import pathlib
    import re

    readme = (pathlib.Path(__file__).parent.parent / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 3
    compile(blocks[0], "README.md", "exec")
    import numpy as np

    rng = np.random.RandomState(0)
    namespace = {"stream": [(rng.normal(size=(20, 10, 2)), rng.normal(size=20))
                            for _ in range(3)]}
    for block in blocks[1:]:
        exec(block, namespace)
    assert namespace["forecast"].shape == (100,)
    assert namespace["model"].coef_.shape[0] > 0

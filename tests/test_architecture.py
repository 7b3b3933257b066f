"""The layering of the package holds (docs/architecture.rst).

``lint-imports`` checks the contracts of pyproject.toml (each layer imports
only from the layers below it); a deliberate import that runs back up, in a
scratch copy, breaks them; no module is over 500 lines and the package root
holds only the public modules.
"""

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sklearn_lnn"
LAYERS = ["_engine", "_readout", "_estimators", "forecasting", "utils"]


def _lint(where):
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))"],
        cwd=where, capture_output=True, text=True,
        env={"PYTHONPATH": str(where), "PATH": "", "SYSTEMROOT": ""},
    )


def test_the_layer_contracts_are_kept():
    pytest.importorskip("importlinter")
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, back_import", [
    ("_engine/_weights.py", "from ..forecasting import LNNForecaster"),
    ("_readout/_ridge.py", "from .._engine._sequences import Sequences"),
    ("utils/_docs.py", "from .._readout._ridge import fit_ridge"),
])
def test_an_import_that_runs_back_up_breaks_the_contract(tmp_path, module, back_import):
    pytest.importorskip("importlinter")
    shutil.copytree(PACKAGE, tmp_path / "sklearn_lnn",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "sklearn_lnn" / module
    target.write_text(target.read_text() + f"\n{back_import}  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_no_module_is_over_500_lines():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert max(sizes.values()) <= 500, {k: v for k, v in sizes.items() if v > 500}


def test_the_root_holds_the_public_modules_and_each_layer_says_what_it_is():
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert root == ["__init__.py", "__main__.py", "datasets.py", "diagnostics.py",
                    "exceptions.py", "parallel.py"]
    counts = {d: len(list((PACKAGE / d).glob("*.py"))) for d in LAYERS}
    assert max(counts.values()) > len(root)  # the largest directory is a layer
    for layer in LAYERS:
        doc = (PACKAGE / layer / "__init__.py").read_text()
        assert doc.startswith('"""') and "Imports" in doc, layer

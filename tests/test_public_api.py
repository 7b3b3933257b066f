"""The public API and old pickles survive moves inside the package (issue 25).

Every name importable from the public modules before the move into one
package per layer still imports from there; models pickled by the code before
the move (tests/data/old_models.pkl, written by tests/data/make_old_models.py
at that commit) load and predict the same.
"""

import importlib
import pathlib
import pickle
import warnings

import numpy as np
import pytest

PUBLIC = {
    "sklearn_lnn": [
        "EchoStatePropertyWarning", "InconsistentVersionWarning", "LNNClassifier",
        "LNNForecaster", "LNNForecasterCV", "LNNRegressor", "LNNStepRegressor", "NGRCForecaster",
        "NGRCTransformer", "ReservoirTransformer", "SequenceScaler", "__version__",
        "config_context", "get_config", "parallel", "set_config",
    ],
    "sklearn_lnn.datasets": [
        "NARMA_COEFFICIENTS", "from_channels_first", "load_digits_sequences",
        "make_lorenz", "make_mackey_glass", "make_narma",
    ],
    "sklearn_lnn.diagnostics": ["effective_spectral_radius", "memory_capacity"],
    "sklearn_lnn.parallel": ["fit", "predict", "transform"],
    "sklearn_lnn.exceptions": [
        "AlphaRangeWarning", "ChannelsFirstWarning", "EchoStatePropertyWarning",
        "ForecastDivergenceWarning", "InconsistentVersionWarning", "PerStepTargetWarning",
    ],
    "sklearn_lnn.forecasting": [
        "LNNForecaster", "LNNForecasterCV", "NGRCForecaster", "NGRCTransformer", "backtest",
    ],
    "sklearn_lnn.utils": ["all_estimators", "skops_trusted_types", "step_scorer"],
}


@pytest.mark.parametrize("module, name", [(m, n) for m, names in PUBLIC.items()
                                          for n in names])
def test_public_name_imports(module, name):
    assert hasattr(importlib.import_module(module), name)


@pytest.mark.parametrize("module", [m for m in PUBLIC if m != "sklearn_lnn.datasets"])
def test_all_lists_what_the_module_offers(module):
    mod = importlib.import_module(module)
    assert set(mod.__all__) <= set(PUBLIC[module])
    for name in mod.__all__:
        assert hasattr(mod, name)


def _old_models():
    path = pathlib.Path(__file__).parent / "data" / "old_models.pkl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # InconsistentVersionWarning after a bump
        with open(path, "rb") as f:
            return pickle.load(f)["models"]


@pytest.mark.parametrize("name", ["LNNClassifier", "LNNRegressor", "ReservoirTransformer",
                                  "LNNStepRegressor", "NGRCTransformer", "SequenceScaler",
                                  "LNNForecaster", "NGRCForecaster"])
def test_models_pickled_before_the_move_predict_the_same(name):
    entry = _old_models()[name]
    model, inputs, expected = entry["model"], entry["inputs"], entry["expected"]
    assert type(model).__name__ == name
    if isinstance(inputs, int):
        got = model.predict(inputs)
    elif hasattr(model, "predict"):
        got = model.predict(inputs)
    else:
        got = model.transform(inputs)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_an_old_regressor_with_statistics_keeps_learning():
    entry = _old_models()["LNNRegressor"]
    model, X = entry["model"], entry["inputs"]
    model.partial_fit(X[:5], X[:5, -1, 1])
    assert np.all(np.isfinite(model.coef_))

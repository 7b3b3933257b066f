"""Write old_models.pkl: small fitted models of every public estimator, with
their inputs and predictions, pickled by the code before the move into one
package per layer (issue 25). tests/test_public_api.py loads them with
today's code. Run from the repository root with the code to record.
"""

import pickle
import warnings

import numpy as np

import sklearn_lnn as lnn


def build():
    warnings.simplefilter("ignore")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(24, 70, 2))
    Xu = X[:, :, 0]
    y = (X[:, -1, 0] > 0).astype(int)
    t = np.arange(300)
    series = np.c_[np.sin(0.1 * t), np.cos(0.05 * t)]
    models = {
        "LNNClassifier": (lnn.LNNClassifier(n_reservoir=8, random_state=0).fit(Xu, y), Xu),
        "LNNRegressor": (lnn.LNNRegressor(n_reservoir=8, random_state=0, keep_statistics=True)
                         .fit(X, X[:, -1, 1]), X),
        "ReservoirTransformer": (lnn.ReservoirTransformer(n_reservoir=8, random_state=0)
                                 .fit(X), X),
        "LNNStepRegressor": (lnn.LNNStepRegressor(n_reservoir=8, random_state=0)
                             .fit(X, X[:, :, 0]), X),
        "NGRCTransformer": (lnn.NGRCTransformer().fit(X), X),
        "SequenceScaler": (lnn.SequenceScaler().fit(X), X),
        "LNNForecaster": (lnn.LNNForecaster(n_reservoir=8, random_state=0)
                          .fit(series[:250]), 12),
        "NGRCForecaster": (lnn.NGRCForecaster().fit(series[:250]), 12),
    }
    out = {}
    for name, (model, inputs) in models.items():
        if isinstance(inputs, int):
            expected = model.predict(inputs)
        elif hasattr(model, "predict"):
            expected = model.predict(inputs)
        else:
            expected = model.transform(inputs)
        out[name] = {"model": model, "inputs": inputs, "expected": expected}
    return out


if __name__ == "__main__":
    with open("tests/data/old_models.pkl", "wb") as f:
        pickle.dump({"version": lnn.__version__, "models": build()}, f, protocol=4)

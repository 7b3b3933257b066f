"""The public estimators, split by the shape of what they return."""

from sklearn.base import is_classifier, is_regressor

from sklearn_lnn.utils import all_estimators


def _sample_wise(cls):
    """One row per sequence (classifiers, regressors, transformers): the
    scikit-learn contract. The per-step regressor and the forecasters return
    sequences (targets with a time axis; a forecaster's predict takes a
    horizon), which scikit-learn's checks cannot express."""
    est = cls()
    return is_classifier(est) or is_regressor(est) or hasattr(est, "transform")


SAMPLE_WISE = [cls for _, cls in all_estimators() if _sample_wise(cls)]
SEQUENCE_OUTPUT = [cls for _, cls in all_estimators() if not _sample_wise(cls)]

#: Estimators whose sequence features go through the feature cache.
CACHED = [cls for cls in SAMPLE_WISE if "n_reservoir" in cls().get_params()]
NOT_CACHED = [cls for _, cls in all_estimators() if cls not in CACHED]

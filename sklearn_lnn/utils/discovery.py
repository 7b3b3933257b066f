"""Discovery of the public estimators, for the common tests and the docs.

Like scikit-learn's ``utils.discovery``, it reads the package at run time
(``importlib``), so the bottom layer does not import the layers above it.
"""

import importlib

from sklearn.base import BaseEstimator


def all_estimators():
    """Public estimator classes of sklearn_lnn.

    Returns
    -------
    estimators : list of (str, type)
        ``(name, class)`` pairs sorted by name.

    Examples
    --------
    >>> from sklearn_lnn.utils import all_estimators
    >>> [name for name, _ in all_estimators()]
    ['LNNClassifier', 'LNNForecaster', 'LNNForecasterCV', 'LNNRegressor', 'LNNStepRegressor', 'NGRCForecaster', 'NGRCTransformer', 'ReservoirTransformer', 'SequenceScaler']
    """
    package = importlib.import_module(__name__.split(".")[0])
    return sorted(
        (name, obj)
        for name, obj in vars(package).items()
        if isinstance(obj, type) and issubclass(obj, BaseEstimator)
    )


def skops_trusted_types():
    """The types a skops file of this package's estimators may hold.

    Beyond skops' own defaults (numpy and scipy arrays, scikit-learn types),
    a file of any fitted estimator of sklearn_lnn holds only these: the
    public estimator classes, a reservoir model also its
    ``ReservoirTransformer``. Pass the list as ``trusted`` to
    ``skops.io.load`` after checking that ``skops.io.get_untrusted_types``
    of the file lists nothing else.

    Returns
    -------
    types : list of str
        Fully qualified class names, sorted.

    Examples
    --------
    >>> from sklearn_lnn.utils import skops_trusted_types
    >>> "sklearn_lnn._estimators._reservoir.ReservoirTransformer" in skops_trusted_types()
    True
    """
    return sorted(f"{cls.__module__}.{cls.__qualname__}" for _, cls in all_estimators())

"""Discovery of the public estimators, for the common tests and the docs."""


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
    ['LNNClassifier', 'LNNForecaster', 'LNNRegressor', 'LNNStepRegressor', 'NGRCForecaster', 'NGRCTransformer', 'ReservoirTransformer', 'SequenceScaler']
    """
    from sklearn.base import BaseEstimator

    import sklearn_lnn

    return sorted(
        (name, obj)
        for name, obj in vars(sklearn_lnn).items()
        if isinstance(obj, type) and issubclass(obj, BaseEstimator)
    )

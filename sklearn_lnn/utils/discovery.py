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
    ['LNNClassifier', 'LNNRegressor', 'ReservoirTransformer']
    """
    import sklearn_lnn

    return sorted(
        (name, getattr(sklearn_lnn, name))
        for name in sklearn_lnn.__all__
        if isinstance(getattr(sklearn_lnn, name), type)
    )

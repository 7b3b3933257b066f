"""The readout: features and targets in, a linear model out.

Ridge regression on standardised features (``_ridge``), its penalty by
generalised cross-validation (``_gcv``), sufficient statistics accumulated
chunk by chunk (``_accumulator``), online updates with forgetting and the
lazily solved ``coef_`` (``_online``), class labels and the logistic readout
(``_classes``). Imports from ``utils`` and ``exceptions`` only; knows nothing
of reservoirs.
"""

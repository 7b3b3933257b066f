"""scikit-learn's estimator checks over every public estimator.

The expected-failures table is empty: every check must pass as is.
"""

import pytest
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_get_feature_names_out_error,
    check_global_output_transform_pandas,
    check_param_validation,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    parametrize_with_checks,
)

from sklearn_lnn import LNNClassifier
from sklearn_lnn.utils import all_estimators

#: Small, fast constructor parameters for the checks; defaults otherwise.
FAST_PARAMS = {"n_reservoir": 30}

EXPECTED_FAILED_CHECKS = {}


def _instances():
    return [cls(**FAST_PARAMS) for _, cls in all_estimators()] + [
        cls(**FAST_PARAMS, neuron="liquid") for _, cls in all_estimators()
    ] + [LNNClassifier(**FAST_PARAMS, readout="logistic")]


def _transformers():
    return [est for est in _instances() if hasattr(est, "transform")]


@parametrize_with_checks(
    _instances(), expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", _instances(), ids=lambda e: type(e).__name__)
def test_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", _instances(), ids=lambda e: type(e).__name__)
def test_dataframe_column_names_consistency(estimator):
    check_dataframe_column_names_consistency(type(estimator).__name__, estimator)


TRANSFORMER_CHECKS = [
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_global_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
    check_get_feature_names_out_error,
]


@pytest.mark.parametrize("check", TRANSFORMER_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("estimator", _transformers(), ids=lambda e: type(e).__name__)
def test_transformer_output_checks(estimator, check):
    check(type(estimator).__name__, estimator)


def test_expected_failures_table_is_empty():
    assert EXPECTED_FAILED_CHECKS == {}

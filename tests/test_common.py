"""scikit-learn's estimator checks over every public estimator.

The expected-failures table is empty: every check must pass as is.
"""

import pytest
from sklearn.utils.estimator_checks import (
    check_do_not_raise_errors_in_init_or_set_params,
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
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

from sklearn_lnn import LNNClassifier, SequenceScaler
from sklearn_lnn.utils import all_estimators

from .estimators import SAMPLE_WISE, SEQUENCE_OUTPUT

#: Small, fast constructor parameters for the checks; defaults otherwise.
FAST_PARAMS = {"n_reservoir": 30}

EXPECTED_FAILED_CHECKS = {}


def _fast(cls, **params):
    names = cls().get_params()
    return cls(**{k: v for k, v in {**FAST_PARAMS, **params}.items() if k in names})


def _instances():
    return [_fast(cls) for cls in SAMPLE_WISE] + [
        _fast(cls, neuron="liquid") for cls in SAMPLE_WISE if "neuron" in cls().get_params()
    ] + [LNNClassifier(**FAST_PARAMS, readout="logistic"), SequenceScaler(per_sequence=True)]


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


PARAMETER_CHECKS = [
    check_parameters_default_constructible,
    check_no_attributes_set_in_init,
    check_get_params_invariance,
    check_set_params,
    check_do_not_raise_errors_in_init_or_set_params,
]


@pytest.mark.parametrize("check", PARAMETER_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("cls", SEQUENCE_OUTPUT, ids=lambda c: c.__name__)
def test_sequence_output_estimators_handle_parameters(cls, check):
    check(cls.__name__, cls())


def test_every_estimator_is_checked():
    names = {cls.__name__ for _, cls in all_estimators()}
    assert names == {c.__name__ for c in SAMPLE_WISE + SEQUENCE_OUTPUT}
    assert {"LNNClassifier", "LNNRegressor", "ReservoirTransformer"} <= {
        c.__name__ for c in SAMPLE_WISE}


def test_expected_failures_table_is_empty():
    assert EXPECTED_FAILED_CHECKS == {}

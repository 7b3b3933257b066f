"""Warnings that sklearn_lnn raises."""

import functools

__all__ = [
    "AlphaRangeWarning",
    "ChannelsFirstWarning",
    "EchoStatePropertyWarning",
    "ForecastDivergenceWarning",
    "InconsistentVersionWarning",
    "PerStepTargetWarning",
]


class ChannelsFirstWarning(UserWarning):
    """A 3D array looks channels-first: far fewer steps than features.

    aeon, sktime and tslearn-style loaders give ``(n_cases, n_channels,
    n_timepoints)``; this package reads ``(n_sequences, n_steps, n_features)``.
    Convert with :func:`sklearn_lnn.datasets.from_channels_first`.
    """


class PerStepTargetWarning(UserWarning):
    """``LNNRegressor`` got one target column per step of ``X``.

    ``LNNRegressor`` predicts one row per sequence and would treat those
    columns as independent outputs; per-step targets belong to
    :class:`~sklearn_lnn.LNNStepRegressor`.
    """


class AlphaRangeWarning(UserWarning):
    """The ridge penalty chosen by ``alpha="auto"`` left its usual range.

    The search starts on a grid from 1e-3 to 1e6 and follows the optimum a
    decade at a time past an edge. Beyond the top the features explain next
    to nothing of the target; at the smallest penalty tried (1e-10) the fit is
    as unregularised as the search allows (pass ``alpha`` to go further).
    """


class EchoStatePropertyWarning(UserWarning):
    """The reservoir is likely to lose the echo state property.

    Raised by ``fit`` when the effective spectral radius
    ``rho((1 - leak_rate) I + leak_rate W)`` of the linearised update exceeds 1:
    small inputs then no longer fade out, states may depend on the initial
    state and features become unstable. Strong inputs that saturate the units
    can restore the property, so this is a warning, not an error.

    Attributes
    ----------
    effective_spectral_radius : float
        The value of ``rho((1 - leak_rate) I + leak_rate W)``.
    """

    def __init__(self, message, effective_spectral_radius):
        super().__init__(message)
        self.effective_spectral_radius = effective_spectral_radius

    def __reduce__(self):
        return type(self), (self.args[0], self.effective_spectral_radius)


class ForecastDivergenceWarning(UserWarning):
    """A closed-loop forecast left the range of the training data by far.

    Raised by a forecaster's ``predict`` when a generated value is not finite
    or its standardised magnitude exceeds 100 times the largest one of the
    training targets: the fitted readout fed back into the reservoir makes an
    unstable system (a common cause: a penalty too small for the features,
    or a reservoir that does not forget). Lower ``spectral_radius`` or
    ``input_scaling``, raise ``alpha``, and check forecasts on a held-out
    continuation with ``score``.
    """


class InconsistentVersionWarning(UserWarning):
    """An estimator is unpickled with another sklearn_lnn version than saved it.

    Models are only guaranteed to behave the same with the version that saved
    them. Turn the warning into an error with
    ``warnings.simplefilter("error", InconsistentVersionWarning)``.

    Attributes
    ----------
    estimator_name : str
        Class name of the estimator.

    current_sklearn_lnn_version : str
        The version loading the estimator.

    original_sklearn_lnn_version : str
        The version that saved it (``"unknown"`` when the file has no stamp).
    """

    def __init__(self, *, estimator_name, current_sklearn_lnn_version,
                 original_sklearn_lnn_version):
        self.estimator_name = estimator_name
        self.current_sklearn_lnn_version = current_sklearn_lnn_version
        self.original_sklearn_lnn_version = original_sklearn_lnn_version
        super().__init__(str(self))

    def __reduce__(self):
        # keyword-only arguments: rebuild through a picklable partial, so the
        # warning survives a trip between processes (joblib workers)
        return functools.partial(
            type(self),
            estimator_name=self.estimator_name,
            current_sklearn_lnn_version=self.current_sklearn_lnn_version,
            original_sklearn_lnn_version=self.original_sklearn_lnn_version,
        ), ()

    def __str__(self):
        return (
            f"Trying to unpickle estimator {self.estimator_name} from sklearn_lnn "
            f"version {self.original_sklearn_lnn_version} when using version "
            f"{self.current_sklearn_lnn_version}. This might lead to breaking "
            "code or invalid results. Use at your own risk. Refit the model or "
            "save it again with this version."
        )

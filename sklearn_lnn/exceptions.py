"""Warnings that sklearn_lnn raises."""

import functools

__all__ = ["EchoStatePropertyWarning", "InconsistentVersionWarning"]


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

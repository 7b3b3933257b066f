"""Docstring fragments shared by the estimators, substituted by ``fill_doc``."""

RESERVOIR_PARAMETERS_DOC = """\
    n_reservoir : int, default=500
        Number of reservoir units.

    spectral_radius : float, default=0.9
        Spectral radius (largest absolute eigenvalue) the recurrent matrix is
        scaled to. Values below 1 give fading memory; near 1, long memory.
        For ``neuron="liquid"`` it is the radius of the linearised recurrent
        coupling ``g'(0) diag(A) W`` (``g'(0) = 1/2``), which the recurrent
        drive reaches a liquid unit through, so that it means the same as for
        leaky units; ``recurrent_weights_`` is scaled accordingly.

    leak_rate : float in (0, 1], default=0.5
        Share of the new candidate state blended into the old one at each step.
        Small values give slow units with long memory; 1 gives a non-leaky
        echo state network.

    input_scaling : float, default=1.0
        Input weights are drawn uniformly from [-s, s] with ``s =
        input_scaling / sqrt(n_channels)`` (difference channels not counted),
        so a unit's input drive has the same spread for one channel or a
        hundred. Sized for inputs of unit scale, which ``standardize=True``
        gives.

    bias_scaling : float, default=0.5
        Biases are drawn uniformly from [-bias_scaling, bias_scaling].

    density : float in (0, 1], default=0.1
        Fraction of nonzero recurrent connections. Every unit keeps at least one
        recurrent input. Large, very sparse reservoirs (``density <= 0.05`` with
        at least 300 units) are stored and multiplied as sparse matrices.

    washout : int, default=0
        Number of initial steps of each sequence left out of the ``"mean"``,
        ``"max"`` and ``"points<k>"`` aggregations. Every sequence must be
        longer than this.

    aggregation : str, default="auto"
        How a sequence's states become one feature row: parts joined by "_",
        in feature order, or "auto". "auto" decides in ``fit`` (stored in
        ``aggregation_``): ``"points<k>_mean_max_ppv_model"`` for short
        univariate series, the states at one step in four (k = median length
        / 4, at least 2; the last of them the final state), and
        ``"mean_max_ppv_model"`` for sequences of at least 50 steps (median
        length), where the last and mean states miss what a series carries
        and the last state, one step of hundreds, steers the readout more than
        it informs it (above 2,000 training sequences without ``"_model"``,
        whose 2,550 features would cost the readout a quarter of a GB, and with
        ``"last"`` instead of the points); ``"last_mean"`` for short
        multivariate sequences, where it is as accurate and several times
        cheaper. ``LNNRegressor``'s "auto" leaves out ``"_model"`` (it lost
        on every shape-dependent regression task measured) and, for
        univariate series, appends the input profile (``profile_points_`` of
        its ``reservoir_``): the series' means over 25 equal parts of it, the
        curve itself for targets linear in it (a slope change, a curvature),
        its penalty weighted 10 or 1, as the readout's leave-one-out (or GCV)
        error of the best alpha decides. ``"last"``: the final state; ``"mean"``: the mean
        state after the washout; ``"max"``: the elementwise maximum after the
        washout; ``"points<k>"`` (2 <= k <= 100): the states at k evenly spaced
        steps after the washout, ending at the final step; ``"ppv"``: for
        each unit, the proportion of steps after the washout on which its
        state lies above each of three thresholds, the 0.25, 0.5 and 0.75
        quantiles of that unit's states on training sequences (where in its
        range a unit spends its time); ``"model"``: the reservoir model space
        of Bianchi et al. (2020), the sequence's own ridge map from each state
        to the next, projected on the 50 leading principal components of the
        training states (50 x 50 weights and 50 intercepts; it captures how
        the dynamics evolve). The thresholds and components are fitted on
        (a sample of up to 20,000 steps of) the training sequences and stored
        as ``state_thresholds_``, ``state_mean_`` and ``state_components_``.
        ``"ppv"`` and ``"model"`` read the reservoir states only, never the
        inputs of ``include_input``. For example ``"last_mean"``,
        ``"mean_max"``, ``"points4"``, ``"last_mean_max_ppv_model"``.

    bidirectional : bool, default=False
        Also run every sequence backwards in time through the same reservoir
        and append those features, so the features see the start of a
        sequence as clearly as its end.

    include_input : bool, default=False
        Append the same aggregation of the raw inputs (a direct
        input-to-readout connection).

    include_difference : bool or "auto", default="auto"
        Append a first-difference channel ``x_t - x_{t-1}`` (0 at the first
        step) for every input channel (not the ``time_channel``), before the
        standardisation: the reservoir sees how the series moves as well as
        where it is. "auto": on exactly when ``aggregation="auto"`` picks the
        rich features (stored in ``include_difference_``).

    coarse_factor : int >= 2, "auto" or None, default="auto"
        Also run the reservoir over the series averaged over blocks of this
        many steps (the last block over the steps it has) and append those
        features (names prefixed ``coarse<k>_``): the slow shape of a long
        series, which a leaky reservoir forgets. The coarse pass has the same
        parameters, its own input standardisation and state statistics fitted
        on the coarse training series, and a readout penalty four times the
        fine features'. "auto": 8 where ``aggregation="auto"`` picks the rich
        features (univariate or long series) and the training series have at
        least 64 steps (median), else None (stored in ``coarse_factor_``).
        Not with a ``time_channel``.

    neuron : {"leaky_tanh", "liquid"}, default="leaky_tanh"
        The unit model (equations in the Notes). ``"liquid"`` is a fixed
        random liquid-time-constant neuron: its time constant depends on the
        input and the state, and its state is bounded by construction. Both
        use every parameter above; for ``"liquid"`` the leak rate scales the
        speed of the ODE.

    time_step : float > 0, default=1.0
        Elapsed time of every step when ``time_channel`` is None.

    time_channel : int or None, default=None
        Index of the input channel that holds the elapsed time since the
        previous step (irregular sampling). That channel is not fed to the
        units as an input; its values must be >= 0. It needs sequence input
        with at least two channels.

    standardize : bool, default=True
        Standardise every input channel with its mean and standard deviation
        over all steps of the training sequences (fitted in ``fit``, stored as
        ``input_mean_`` and ``input_scale_``, folded into the input weights),
        so the units of the data do not matter. With two or more input
        channels, each is also clipped to its mean +- 3 standard deviations
        (a nearly constant channel, such as an image's border column, would
        otherwise turn a rare value into one that saturates the units; the
        difference channels are not clipped, and ``include_input`` aggregates
        the clipped values). A univariate series is not clipped, and a
        ``time_channel`` keeps its units. False suits channels that share one
        unit where 0 means empty, as in small images (digits: 0.9917 instead
        of 0.9883 over six splits; MNIST, 28 channels, lost: 0.956 instead of
        0.967); see the accuracy page.

    random_state : int, RandomState instance or None, default=None
        Seed of the fixed random weights drawn in ``fit``. Pass an int for
        reproducible results across calls.

    verbose : int, default=0
        0: silent. 1: progress of long transforms and fits (sequences done,
        elapsed and remaining time), at most a line a second. 2: a line per
        block of sequences."""

INPUT_DOC = """\
            Sequences: a 3D array of shape (n_sequences, n_steps, n_features), a
            list of 2D arrays of shape (n_steps_i, n_features) (lengths may
            differ), or a 2D array/DataFrame of shape (n_sequences, n_steps) whose
            rows are univariate series."""

EQUATIONS_DOC = """\
    Each sequence starts from :math:`h_0 = 0`. With inputs :math:`u_t`,
    :math:`z_t = W_{in} u_t + W h_{t-1} + b`, leak rate :math:`a` and the
    elapsed time :math:`\\Delta_t` of step :math:`t` (``time_step``, or the
    ``time_channel`` value), the ``"leaky_tanh"`` units follow the
    leaky-integrator echo state network

    .. math::

        h_t = (1 - a_t)\\, h_{t-1} + a_t \\tanh(z_t), \\qquad
        a_t = 1 - (1 - a)^{\\Delta_t},

    and the ``"liquid"`` units the liquid-time-constant ODE

    .. math::

        \\frac{dh}{dt} = a \\left[-(r + g) \\odot h + g \\odot A\\right],
        \\qquad g = 2\\, \\sigma(z),

    with per-unit decay rates :math:`r` (``decay_rates_``) and reversal
    potentials :math:`A = \\pm 1` (``reversal_potentials_``), integrated by the
    fused semi-implicit step of Hasani et al. (2021)

    .. math::

        h_t = \\frac{h_{t-1} + a \\Delta_t\\, g \\odot A}
                   {1 + a \\Delta_t (r + g)}.

    It is a convex combination of :math:`h_{t-1}`, :math:`A` and 0, so every
    unit stays between 0 and its :math:`A_i` for any input and step. Here
    :math:`W_{in}` = ``input_weights_``, :math:`W` = ``recurrent_weights_``
    and :math:`b` = ``bias_``, all drawn once in ``fit`` and never trained.
    Sequences are processed together, one matrix product per step for a whole
    block, so a sequence's features never depend on the other sequences in the
    batch (up to floating-point rounding)."""


READOUT_PARAMETERS_DOC = """\
    alpha : float or "auto", default="auto"
        Ridge penalty of the readout on the standardised reservoir features.
        "auto" chooses it from 19 values between 1e-3 and 1e6, from one
        eigendecomposition (no refits), following the optimum a decade at a
        time past an edge of that grid (within 1e-10 .. 1e9); the choice is
        stored in ``alpha_``. LNNClassifier and LNNRegressor judge it by the
        exact leave-one-out error over the training sequences while the
        readout keeps its rows (fewer sequences than features; an integer
        sample weight counts as repeated sequences), as scikit-learn's
        ``RidgeCV`` does, and by generalised cross-validation (GCV) from the
        sufficient statistics otherwise; LNNStepRegressor, whose rows are
        time steps, by GCV. GCV gives every row the mean leverage: on
        Covid3Month, whose series differ in scale by four orders of
        magnitude, it chose 1e-3 and the regressor scored 1.64 target
        standard deviations; leave-one-out chose 3e4 and 1.05 (the mean
        predictor: 1.11). Rounding cannot move the choice: where the curve
        is flat, the largest penalty within 1e-6 of the smallest error wins,
        and a residual sum below 1e-9 of the total counts as zero, so the
        same data give the same model whatever the BLAS kernel or the
        summation order (a distributed fit included). In LNNClassifier, the
        penalty is judged by the classes with at least two training
        sequences: one left out, a class's single sequence cannot be
        predicted, and such classes drove the choice to the largest penalty
        (one sequence per class of PigCVP: alpha 1e8, test accuracy 0.26; any
        alpha from 1e-3 to 100: 0.79-0.81). With no such class ``alpha_`` is 1
        (scikit-learn's Ridge default)."""

FORECAST_ALPHA_DOC = """\
    alpha : float, "auto" or "baseline", default="auto"
        Ridge penalty of the readout on the standardised features. "auto"
        chooses it by closed-loop validation: the last 20 % of each training
        series (after the washout, at most 1,000 steps) is held out, the
        readout of each of 16 penalties from 1e-9 to 1e6 (fitted on the rest,
        from one eigendecomposition) forecasts up to 50 steps in closed loop
        from 8 points of it, and the smallest mean squared error wins (the
        larger penalty on a tie); the readout is then refitted on all steps.
        The largest penalties leave little more than the intercept: the
        mean, or for a model of changes the mean change (a drift).
        One-step criteria such as generalised cross-validation pick penalties
        whose fed-back readout tends to diverge (Santa Fe laser, 500 units,
        five forecast origins: 3 of 5 forecasts diverged with GCV's choice,
        none with this one). Series too short to keep 5 steps for the fit and
        hold out 2 for validation fall back to GCV. The choice is stored in
        ``alpha_``. Directions of the standardised features' Gram matrix below
        1e-10 of its largest eigenvalue are left out under "auto"; an explicit
        alpha is applied to all of them (a plain ridge), which suits very small
        penalties on smooth series (see ``squared_states``). "baseline": no
        readout; the forecast is the naive forecast of the model's form: no
        change for a model of changes (``season``: the value a season
        before, the seasonal naive forecast; ``difference="series"``: the
        last value, plus the last seasonal change with a season), the last
        value read for ``difference=True``, and the mean of the training
        values after the washout for a model of the values.
        :class:`LNNForecasterCV` scores it beside the readouts."""

ONLINE_PARAMETERS_DOC = """\
    forgetting_factor : float in (0, 1], default=1.0
        How fast old sequences fade from the readout under ``partial_fit``:
        the weight of every sequence already seen is multiplied by this factor
        for each later sequence, whatever the chunk sizes. 1 keeps everything
        (chunked ``partial_fit`` then equals one ``fit``); for example 0.999
        gives the last few thousand sequences most of the weight, so the
        model tracks a drifting source. ``fit`` weighs its sequences the same
        way, in order.

    keep_statistics : bool, default=False
        Whether a model fitted with ``fit`` and then saved (pickle, joblib,
        skops; also ``copy``) carries the readout's sufficient statistics: a
        matrix of n_features_out x n_features_out values, most of a fitted
        model's size, needed only to keep learning with ``partial_fit``.
        False: the file holds the solved readout only (a default
        LNNClassifier fitted on digits pickles to 2.1 MB instead of 10.2 MB)
        and ``partial_fit`` on the loaded model raises ValueError. In memory
        the statistics are always kept, so ``partial_fit`` after ``fit``
        continues exactly either way, and a model that has learnt with
        ``partial_fit`` always saves them."""

def _split_parameters(doc):
    """{name: its numpydoc entry} of a Parameters block."""
    entries = {}
    for block in doc.split("\n\n"):
        name = block.strip().split(" :", 1)[0]
        entries[name] = block.rstrip("\n")
    return entries


PARAMETER_DOCS = _split_parameters(RESERVOIR_PARAMETERS_DOC)
PARAMETER_DOCS["washout_steps"] = """\
    washout : int, default=0
        Number of initial steps of each sequence left out of the readout's fit
        and of ``score`` (the reservoir's warm-up from its zero state). Every
        sequence must be longer than this. ``predict`` still returns every
        step."""


PARAMETER_DOCS["include_input_steps"] = """\
    include_input : bool, default=False
        Also give the readout each step's raw inputs (time channel excluded):
        a direct input-to-readout connection."""


def parameters_doc(*names):
    """The Parameters entries of `names`, in that order."""
    return "\n\n".join(PARAMETER_DOCS[name] for name in names)


STEP_RESERVOIR_NAMES = ("n_reservoir", "spectral_radius", "leak_rate",
                        "input_scaling", "bias_scaling", "density", "washout_steps",
                        "include_input_steps", "neuron", "time_step", "time_channel",
                        "standardize_steps", "random_state", "verbose")

PARAMETER_DOCS["standardize_steps"] = """\
    standardize : bool, default=True
        Standardise every input channel with its mean and standard deviation
        over all steps of the training sequences (fitted in ``fit``, stored in
        ``reservoir_`` as ``input_mean_`` and ``input_scale_``), so the units
        of the data do not matter. Unlike the sequence estimators, no channel
        is clipped: a per-step target may depend on every input value. A
        ``time_channel`` keeps its units."""

PARAMETER_DOCS["washout_forecast"] = """\
    washout : int or "auto", default="auto"
        Steps at the start of each training series left out of the readout's
        fit while the reservoir warms up from its zero state. Every training
        series needs at least ``washout + 2`` steps (one more when the model
        may read changes, see ``difference``). "auto": 50, or a tenth of the
        shortest training series when that is fewer, so that short series
        (tens of steps) keep most of their rows. The value used is
        ``washout_``."""

PARAMETER_DOCS["include_input_forecast"] = """\
    include_input : bool, default=True
        Also give the readout the current (standardised) value and exogenous
        inputs: a direct input-to-output connection."""

PARAMETER_DOCS["squared_states"] = """\
    squared_states : bool, default=False
        Also give the readout the square of every unit's state, a quadratic
        readout (as in Pathak et al. 2018): the state's sign symmetry is
        broken and the readout can fit curvature. It doubles the readout's
        width (its fit costs about four times as much). On Mackey-Glass (400
        units, alpha 1e-8, four reservoir seeds) it lowered the 84-step
        closed-loop NRMSE from 0.4-1.2e-3 to 1.3-2.3e-4; pair it with a small
        explicit ``alpha`` and check on a held-out continuation (``score``).
        :class:`LNNStepRegressor` and :class:`LNNForecaster` share it, so a
        forecaster's choice can be tuned through the per-step regressor."""

_DIFFERENCE_BODY = """\
        True: predict the change ``y[t+1] - y[t]`` (then add ``y[t]``) instead
        of ``y[t+1]``; the model still reads the values. "series": the
        model reads and predicts the series of changes ``y[t] - y[t-1]`` and
        forecasts are summed back onto the last value seen (``last_value_``):
        for series with a trend, whose future values leave the range of the
        training values (aeon's Airline: see the forecasting guide)."""

PARAMETER_DOCS["difference"] = """\
    difference : bool, "series" or "auto", default="auto"
""" + _DIFFERENCE_BODY + """ "auto": the changes ("series") when the training
        series leave the range they have shown (in its last 20 % of steps a
        series goes beyond the range of the steps before by more than 5 % of
        its width; for a panel, at least half the series do), else the values
        (False). The choice is stored in ``difference_``."""

PARAMETER_DOCS["difference_true"] = """\
    difference : bool or "series", default=True
""" + _DIFFERENCE_BODY

PARAMETER_DOCS["season"] = """\
    season : int >= 2 or None, default=None
        A seasonal period of the series (12 for monthly values with a yearly
        cycle). The model then reads and predicts the seasonal changes
        ``y[t] - y[t - season]`` (``difference`` applies to them), and each
        forecast step is added to the value one season before it (seen, or
        itself forecast): a season whose shape repeats, even on a trend, is
        carried over by construction. Every training series needs ``season``
        more steps. aeon's Airline (last 12 months, MASE, seeds 0-2): 1.38
        without, 0.72 with ``season=12``. The last season seen is
        ``last_season_``; ``update`` advances it."""

PARAMETER_DOCS["standardize_forecast"] = """\
    standardize : bool, default=True
        Standardise targets and exogenous inputs per channel with the mean
        and standard deviation of the training series (stored as
        ``input_mean_`` and ``input_scale_``), so the units of the data do not
        matter. Forecasts are returned in the original units."""

PARAMETER_DOCS["ngrc_lags"] = """\
    delay : int >= 1, default=2
        Number of time-lagged steps in the linear features.

    stride : int >= 1, default=1
        Steps between two lags.

    order : int >= 2, default=2
        Degree of the monomials of the linear features."""

NGRC_REFERENCE_DOC = """\
    References
    ----------
    .. [1] D. J. Gauthier, E. Bollt, A. Griffith and W. A. S. Barbosa, "Next
       generation reservoir computing", Nature Communications 12, 5564, 2021."""

FORECAST_STATE_DOC = """\
    last_input_ : ndarray of shape (n_series, n_targets + n_exog)
        The last (standardised) input seen.

    last_value_ : ndarray of shape (n_series, n_targets)
        Only when the model reads the changes (``difference_ == "series"``):
        the last value of each series seen (in its units), onto which forecast
        changes are summed.

    last_season_ : ndarray of shape (n_series, season, n_targets)
        With a ``season`` only: the last ``season`` values of each series
        seen, onto which forecast seasonal changes are added.

    washout_ : int
        The washout used in ``fit``.

    difference_ : bool or "series"
        The model fitted: ``difference``, or what "auto" chose.

    target_peak_ : float
        Largest standardised magnitude of the training targets; a forecast
        beyond 100 times it raises
        :class:`~sklearn_lnn.exceptions.ForecastDivergenceWarning`."""

FORECAST_NAMES = ("n_reservoir", "spectral_radius", "leak_rate", "input_scaling",
                  "bias_scaling", "density", "neuron", "time_step", "random_state",
                  "washout_forecast", "include_input_forecast", "squared_states", "difference",
                  "season", "standardize_forecast")

_SNIPPETS = {
    "%(aggregation_parameters)s": parameters_doc("washout", "aggregation"),
    "%(forecast_parameters)s": parameters_doc(*FORECAST_NAMES),
    "%(step_reservoir_parameters)s": parameters_doc(*STEP_RESERVOIR_NAMES),
    "%(reservoir_parameters)s": RESERVOIR_PARAMETERS_DOC,
    "%(readout_parameters)s": READOUT_PARAMETERS_DOC,
    "%(forecast_alpha)s": FORECAST_ALPHA_DOC,
    "%(forecast_state)s": FORECAST_STATE_DOC,
    "%(ngrc_reference)s": NGRC_REFERENCE_DOC,
    "%(ngrc_lags)s": PARAMETER_DOCS["ngrc_lags"],
    "%(squared_states)s": PARAMETER_DOCS["squared_states"],
    # NG-RC: the same parameter with another default
    "%(difference_true)s": PARAMETER_DOCS["difference_true"],
    "%(season)s": PARAMETER_DOCS["season"],
    "%(online_parameters)s": ONLINE_PARAMETERS_DOC,
    "%(equations)s": EQUATIONS_DOC,
    "%(input)s": INPUT_DOC,
}


def _fill(text):
    for key, snippet in _SNIPPETS.items():
        text = text.replace(key, snippet)
    return text


def fill_doc(cls):
    """Substitute the shared docs into the docstrings of `cls` and its methods."""
    cls.__doc__ = _fill(cls.__doc__)
    for method in vars(cls).values():
        if callable(method) and method.__doc__:
            method.__doc__ = _fill(method.__doc__)
    return cls

"""The engine: sequences in, states or per-sequence features out.

The input contract (``_sequences``), the random weights (``_weights``), the
batched leaky / liquid dynamics (``_dynamics``), long series as verified
segments (``_segments``), the input standardisation (``_scaling``), the
streamed aggregation of states (``_aggregation``, ``_state_features``), the
coarse pass (``_coarse``) and the feature cache (``_cache``). Pure functions
and small classes: no estimator, no readout. Imports from ``utils`` and
``exceptions`` only.
"""

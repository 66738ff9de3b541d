"""M0 of the project's benchmark definition: the six-state Markov chain, also a correctness reference for the tests."""

import numpy as np

M0_STATES = ["employed", "a_dagpenge", "kontanthjaelp", "sygedagpenge", "fleksjob", "foertidspension"]
M0_MATRIX = np.array([
    [0.975, 0.012, 0.003, 0.009, 0.0005, 0.0005],
    [0.20, 0.76, 0.02, 0.015, 0.003, 0.002],
    [0.04, 0.005, 0.93, 0.01, 0.01, 0.005],
    [0.22, 0.02, 0.01, 0.73, 0.01, 0.01],
    [0.01, 0.0, 0.005, 0.01, 0.97, 0.005],
    [0, 0, 0, 0, 0, 1],
])
M0_SHARES = [0.80, 0.04, 0.06, 0.04, 0.03, 0.03]

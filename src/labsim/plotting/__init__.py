"""Figures for analysts and committees (matplotlib).

Each function takes a tidy frame (or a result that holds it: a :class:`~labsim.Comparison` or
:class:`~labsim.StudyResults`), draws on ``ax`` (a new figure when ``None``), returns the ``Axes`` and never
calls ``show``. ``lang="da"`` gives Danish labels, ``lang="en"`` (the default) English (:class:`Language`).

========================  ===============================================================
:func:`plot_stocks`       persons by benefit group over time, stacked areas
:func:`plot_fan`          a measure per strategy with 50 % and 90 % bands over replications
:func:`plot_targets`      the probability of meeting each target, a dot per strategy
:func:`plot_population`   the working-age population and the labour force to the horizon
:func:`plot_business_case`  net saving per year and cumulative, payback marked
:func:`plot_capacity`     places, caseworker teams and queues: demand, capacity and use
:func:`plot_team`         a caseworker team's caseworkers, caseload, contacts or multiplier per strategy
:func:`plot_queue`        the rehabiliteringsteam's open cases, or a course's waiting list, per strategy
:func:`plot_waits`        the mean wait of the persons a queue served each month, per strategy
:func:`plot_intakes`      a course's seats and the persons admitted at each intake, per strategy
:func:`plot_calibration`  observed against simulated, with the runs' interval
:func:`plot_fit`          a figure with :func:`plot_calibration` per measure
========================  ===============================================================
"""

from labsim.plotting.business import plot_business_case
from labsim.plotting.calibration import plot_calibration, plot_fit
from labsim.plotting.capacity import plot_capacity
from labsim.plotting.fan import plot_fan
from labsim.plotting.labels import LANGUAGES, Language
from labsim.plotting.population import LABOUR_FORCE, plot_population
from labsim.plotting.queues import plot_intakes, plot_queue, plot_waits
from labsim.plotting.stocks import plot_stocks
from labsim.plotting.targets import plot_targets
from labsim.plotting.teams import TEAM_MEASURES, TeamMeasure, plot_team

__all__ = ["plot_stocks", "plot_fan", "plot_targets", "plot_population", "plot_business_case", "plot_capacity",
           "plot_team", "plot_queue", "plot_waits", "plot_intakes", "plot_calibration", "plot_fit", "LANGUAGES",
           "Language", "LABOUR_FORCE", "TeamMeasure", "TEAM_MEASURES"]

"""A self-contained HTML report of a comparison, for a committee: ``labsim report RESULTS_DIR --out report.html``.

:func:`read_results` loads what ``labsim compare --out`` (:meth:`labsim.Comparison.write`) wrote;
:func:`write_report` turns it, or a :class:`~labsim.Comparison` in memory, into one HTML file with its figures
embedded.
"""

from labsim.report.document import SECTIONS, report_html, write_report
from labsim.report.results import ReportResults, read_results

__all__ = ["write_report", "report_html", "read_results", "ReportResults", "SECTIONS"]

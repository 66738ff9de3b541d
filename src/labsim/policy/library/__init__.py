"""The built-in efforts: every measure the two employment plans name, each with its evidence (DOMAIN.md §6).

Each is a function that returns an :class:`~labsim.policy.Effort` with sourced or labelled defaults;
keyword arguments resize, re-date or re-price it, ``effect=`` sets its main multiplier inside (or
outside) the evidence range, and any other keyword replaces that field of the effort.
:data:`BUILT_INS` lists them all by name.
"""

from collections.abc import Callable

from labsim.policy.effort import Effort
from labsim.policy.library.caseload import broenderslev_investment, hjoerring_caseload, team_alfa
from labsim.policy.library.company import (
    hybridpraktik,
    loentilskud_private,
    loentilskud_public,
    smaajobs,
    virksomhedspraktik_private,
    virksomhedspraktik_public,
)
from labsim.policy.library.disability import fleksjob_matching, isbryderordningen, noeglepersoner, skaanejob_klapjob
from labsim.policy.library.integration import jobskole_kvinder, loennede_timer, sprog_kompetenceafklaring
from labsim.policy.library.sickness import delvis_raskmelding, early_sickness_followup
from labsim.policy.library.upskilling import jobrotation, kandidatbank, short_courses, uddannelsesloeft, voksenlaerling
from labsim.policy.library.youth import ips, ips_ung, ungegarantien, ungeindgang

BUILT_INS: dict[str, Callable[..., Effort]] = {
    factory.__name__: factory
    for factory in (
        hjoerring_caseload, broenderslev_investment, team_alfa,
        ungegarantien, ungeindgang, ips, ips_ung,
        voksenlaerling, uddannelsesloeft, short_courses, kandidatbank, jobrotation,
        virksomhedspraktik_private, virksomhedspraktik_public, loentilskud_private, loentilskud_public, smaajobs,
        hybridpraktik,
        early_sickness_followup, delvis_raskmelding,
        loennede_timer, jobskole_kvinder, sprog_kompetenceafklaring,
        fleksjob_matching, noeglepersoner, isbryderordningen, skaanejob_klapjob,
    )
}
"""Every built-in effort's factory, by the name of the effort it makes, grouped as the plans group them."""

__all__ = ["BUILT_INS", *BUILT_INS]

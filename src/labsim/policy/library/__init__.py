"""The built-in efforts: every measure the two employment plans name, each with its evidence (DOMAIN.md §6).

Each is a frozen spec (:class:`~labsim.policy.spec.EffortSpec`) whose fields are its knobs — effect,
capacity, dates, phases, unit costs — with sourced or labelled defaults; ``.build()`` makes the
:class:`~labsim.policy.Effort`, and a :class:`~labsim.policy.Strategy` builds the specs it is given.
:data:`BUILT_INS` lists them all by name; docs/efforts.md lists every knob.
"""

from labsim.policy.library.caseload import BroenderslevInvestment, HjoerringCaseload, TeamAlfa
from labsim.policy.library.company import (
    Hybridpraktik,
    LoentilskudPrivate,
    LoentilskudPublic,
    Smaajobs,
    VirksomhedspraktikPrivate,
    VirksomhedspraktikPublic,
)
from labsim.policy.library.disability import FleksjobMatching, Isbryderordningen, Noeglepersoner, SkaanejobKlapjob
from labsim.policy.library.integration import JobskoleKvinder, LoennedeTimer, SprogKompetenceafklaring
from labsim.policy.library.sickness import DelvisRaskmelding, EarlySicknessFollowup
from labsim.policy.library.upskilling import Jobrotation, Kandidatbank, ShortCourses, Uddannelsesloeft, Voksenlaerling
from labsim.policy.library.youth import IPS, IPSUng, Ungegarantien, Ungeindgang
from labsim.policy.spec import EffortSpec

BUILT_INS: dict[str, type[EffortSpec]] = {
    spec.name: spec
    for spec in (
        HjoerringCaseload, BroenderslevInvestment, TeamAlfa,
        Ungegarantien, Ungeindgang, IPS, IPSUng,
        Voksenlaerling, Uddannelsesloeft, ShortCourses, Kandidatbank, Jobrotation,
        VirksomhedspraktikPrivate, VirksomhedspraktikPublic, LoentilskudPrivate, LoentilskudPublic, Smaajobs,
        Hybridpraktik,
        EarlySicknessFollowup, DelvisRaskmelding,
        LoennedeTimer, JobskoleKvinder, SprogKompetenceafklaring,
        FleksjobMatching, Noeglepersoner, Isbryderordningen, SkaanejobKlapjob,
    )
}
"""Every built-in effort's spec, by the name of the effort it makes, grouped as the plans group them."""

__all__ = ["BUILT_INS", *(spec.__name__ for spec in BUILT_INS.values())]

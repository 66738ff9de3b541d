"""The Danish state catalogue of DOMAIN.md §1.1 and the gates of §1.2.

Groupings: ``hjoerring`` (jobparate / ikke_jobparate / permanente, Hjørring's plan §2 p.3–5),
``broenderslev`` (midlertidig / permanente, Brønderslev's plan p.5) and ``public_support``
(jobindsats.dk's *offentlig forsørgelse*, DOMAIN.md §1.1). Where the plans are silent the group is
an assumption, marked in :data:`GROUPING_NOTES`.
"""

from __future__ import annotations

from enum import IntEnum
from functools import cache

from labsim.states.catalogue import StateCatalogue
from labsim.states.state import Gate, StateInfo

__all__ = ["State", "danish_catalogue", "TEMPORARY_BENEFITS", "GROUPING_NOTES"]


class State(IntEnum):
    """Codes of the Danish catalogue (the value is the ``int8`` code stored in populations)."""

    EMPLOYED = 0
    EDUCATION = 1
    A_DAGPENGE = 2
    KONTANTHJAELP_JOBPARAT = 3
    KONTANTHJAELP_AKTIVITETSPARAT = 4
    UDDANNELSESHJAELP_UDDANNELSESPARAT = 5
    UDDANNELSESHJAELP_AKTIVITETSPARAT = 6
    SYGEDAGPENGE = 7
    JOBAFKLARING = 8
    RESSOURCEFORLOEB = 9
    REVALIDERING = 10
    LEDIGHEDSYDELSE = 11
    FLEKSJOB = 12
    FOERTIDSPENSION = 13
    SENIORPENSION = 14
    SELVFORSOERGELSESYDELSE = 15
    EFTERLOEN = 16
    FOLKEPENSION = 17
    OUTSIDE = 18

    @property
    def code_name(self) -> str:
        """The ASCII code name used in files and frames (``"a_dagpenge"``)."""
        return self.name.lower()


_J, _IJ, _P = "jobparate", "ikke_jobparate", "permanente"
_MID, _PERM = "midlertidig", "permanente"


def _info(state: State, da: str, en: str, *, support: bool, hj: str | None = None, br: str | None = None) -> StateInfo:
    groups = {key: value for key, value in (("hjoerring", hj), ("broenderslev", br)) if value}
    return StateInfo(name=state.code_name, label_da=da, label_en=en, public_support=support, groups=groups)


_STATES = (
    _info(State.EMPLOYED, "Ordinær beskæftigelse", "Ordinary employment", support=False),
    _info(State.EDUCATION, "Uddannelse (SU)", "Education", support=False),
    _info(State.A_DAGPENGE, "A-dagpenge", "Unemployment insurance benefit", support=True, hj=_J, br=_MID),
    _info(State.KONTANTHJAELP_JOBPARAT, "Kontanthjælp, jobparat", "Social assistance, job-ready", support=True, hj=_J, br=_MID),
    _info(State.KONTANTHJAELP_AKTIVITETSPARAT, "Kontanthjælp, aktivitetsparat", "Social assistance, activity-ready",
          support=True, hj=_IJ, br=_MID),
    _info(State.UDDANNELSESHJAELP_UDDANNELSESPARAT, "Uddannelseshjælp, uddannelsesparat", "Education benefit, education-ready",
          support=True, hj=_J, br=_MID),
    _info(State.UDDANNELSESHJAELP_AKTIVITETSPARAT, "Uddannelseshjælp, aktivitetsparat", "Education benefit, activity-ready",
          support=True, hj=_IJ, br=_MID),
    _info(State.SYGEDAGPENGE, "Sygedagpenge", "Sickness benefit", support=True, hj=_IJ, br=_MID),
    _info(State.JOBAFKLARING, "Jobafklaringsforløb", "Job-clarification course", support=True, hj=_IJ, br=_MID),
    _info(State.RESSOURCEFORLOEB, "Ressourceforløb", "Resource course", support=True, hj=_IJ, br=_MID),
    _info(State.REVALIDERING, "Revalidering", "Vocational rehabilitation", support=True, hj=_IJ, br=_MID),
    _info(State.LEDIGHEDSYDELSE, "Ledighedsydelse", "Flex-job unemployment allowance", support=True, hj=_IJ, br=_MID),
    _info(State.FLEKSJOB, "Fleksjob", "Flex-job", support=True, hj=_P, br=_PERM),
    _info(State.FOERTIDSPENSION, "Førtidspension", "Disability pension", support=True, hj=_P, br=_PERM),
    _info(State.SENIORPENSION, "Seniorpension", "Senior pension", support=True, hj=_P, br=_PERM),
    _info(State.SELVFORSOERGELSESYDELSE, "Selvforsørgelses- og hjemrejseydelse / overgangsydelse",
          "Self-support and repatriation benefit / transition benefit", support=True, hj="integration", br="integration"),
    _info(State.EFTERLOEN, "Efterløn", "Voluntary early retirement", support=True),
    _info(State.FOLKEPENSION, "Folkepension", "State old-age pension", support=False),
    _info(State.OUTSIDE, "Uden for arbejdsstyrken, selvforsørget", "Outside the labour force, self-supported", support=False),
)

GROUPING_NOTES: dict[str, str] = {
    "uddannelseshjaelp_uddannelsesparat": "hjoerring=jobparate is an assumption: DOMAIN.md §1.1 marks it [UNSURE].",
    "uddannelseshjaelp_aktivitetsparat": "hjoerring=ikke_jobparate is an assumption: DOMAIN.md §1.1 marks it [UNSURE].",
    "revalidering": "Neither plan groups revalidering; ikke_jobparate / midlertidig is an assumption.",
    "ledighedsydelse": "Brønderslev counts it as midlertidig (p.5); Hjørring does not list it, ikke_jobparate is an assumption.",
    "seniorpension": "Hjørring counts it with the permanent benefits (§2); Brønderslev's group is an assumption.",
    "selvforsoergelsesydelse": "Both plans treat integration as a separate focus area (HJ §3.4, BR p.21).",
    "efterloen": "jobindsats.dk counts efterløn as public support (DOMAIN.md §1.1); neither plan groups it.",
}

S = State
TEMPORARY_BENEFITS: tuple[State, ...] = (
    S.A_DAGPENGE, S.KONTANTHJAELP_JOBPARAT, S.KONTANTHJAELP_AKTIVITETSPARAT, S.UDDANNELSESHJAELP_UDDANNELSESPARAT,
    S.UDDANNELSESHJAELP_AKTIVITETSPARAT, S.SYGEDAGPENGE, S.JOBAFKLARING, S.RESSOURCEFORLOEB, S.REVALIDERING,
    S.LEDIGHEDSYDELSE, S.SELVFORSOERGELSESYDELSE,
)
"""Temporary benefits, from which the rehabiliteringsteam can grant fleksjob or førtidspension."""

_SOCIAL_ASSISTANCE = (S.KONTANTHJAELP_JOBPARAT, S.KONTANTHJAELP_AKTIVITETSPARAT,
                      S.UDDANNELSESHJAELP_UDDANNELSESPARAT, S.UDDANNELSESHJAELP_AKTIVITETSPARAT)

H, R, REHAB = Gate.HAZARD, Gate.RULE, Gate.HAZARD | Gate.REHAB

# destination: (gate, sources) — DOMAIN.md §1.2. Kontanthjælp and uddannelseshjælp share their
# sources because the age-30 / qualification rule redirects one to the other.
_ENTRIES: tuple[tuple[State, Gate, tuple[State, ...]], ...] = (
    (S.EMPLOYED, H, (S.EDUCATION, S.A_DAGPENGE, *_SOCIAL_ASSISTANCE, S.SYGEDAGPENGE, S.JOBAFKLARING,
                     S.RESSOURCEFORLOEB, S.REVALIDERING, S.LEDIGHEDSYDELSE, S.FLEKSJOB, S.SELVFORSOERGELSESYDELSE,
                     S.OUTSIDE)),
    (S.EDUCATION, H, (S.EMPLOYED, S.A_DAGPENGE, *_SOCIAL_ASSISTANCE, S.REVALIDERING, S.SELVFORSOERGELSESYDELSE,
                      S.OUTSIDE)),
    # a-dagpenge from work, or from education for new graduates; back after sickness (§1.2).
    (S.A_DAGPENGE, H, (S.EMPLOYED, S.EDUCATION, S.SYGEDAGPENGE)),
    # kontanthjælp / uddannelseshjælp: from any state once the means test applies (§1.2).
    *((target, H, (S.EMPLOYED, S.EDUCATION, S.A_DAGPENGE, S.SYGEDAGPENGE, S.JOBAFKLARING, S.RESSOURCEFORLOEB,
                   S.REVALIDERING, S.SELVFORSOERGELSESYDELSE, S.OUTSIDE)) for target in _SOCIAL_ASSISTANCE),
    # re-assessment inside social assistance: jobparat ↔ aktivitetsparat, uddannelsesparat ↔ aktivitetsparat.
    (S.KONTANTHJAELP_AKTIVITETSPARAT, H, (S.KONTANTHJAELP_JOBPARAT,)),
    (S.KONTANTHJAELP_JOBPARAT, H, (S.KONTANTHJAELP_AKTIVITETSPARAT,)),
    (S.UDDANNELSESHJAELP_AKTIVITETSPARAT, H, (S.UDDANNELSESHJAELP_UDDANNELSESPARAT,)),
    (S.UDDANNELSESHJAELP_UDDANNELSESPARAT, H, (S.UDDANNELSESHJAELP_AKTIVITETSPARAT,)),
    # sygedagpenge: from employment, a-dagpenge and (sick flex-job holders) fleksjob (§1.2).
    (S.SYGEDAGPENGE, H, (S.EMPLOYED, S.A_DAGPENGE, S.FLEKSJOB)),
    # revalidering: a municipal decision, from sygedagpenge, kontanthjælp (§1.2, HJ §3.5).
    (S.REVALIDERING, H, (S.SYGEDAGPENGE, S.KONTANTHJAELP_JOBPARAT, S.KONTANTHJAELP_AKTIVITETSPARAT, S.JOBAFKLARING)),
    # ressourceforløb: rehabiliteringsteam (§1.2).
    (S.RESSOURCEFORLOEB, REHAB, (S.KONTANTHJAELP_JOBPARAT, S.KONTANTHJAELP_AKTIVITETSPARAT,
                                 S.UDDANNELSESHJAELP_AKTIVITETSPARAT, S.SYGEDAGPENGE, S.JOBAFKLARING, S.REVALIDERING,
                                 S.LEDIGHEDSYDELSE, S.SELVFORSOERGELSESYDELSE)),
    # fleksjob and ledighedsydelse: rehabiliteringsteam from temporary benefits (§1.2) …
    *((target, REHAB, tuple(s for s in TEMPORARY_BENEFITS
                            if s not in (S.FLEKSJOB, S.LEDIGHEDSYDELSE, S.UDDANNELSESHJAELP_UDDANNELSESPARAT)))
      for target in (S.FLEKSJOB, S.LEDIGHEDSYDELSE)),
    # … but a visiteret person moves freely between them, with no new decision (§1.2, ledighedsydelse).
    (S.FLEKSJOB, H, (S.LEDIGHEDSYDELSE,)),
    (S.LEDIGHEDSYDELSE, H, (S.FLEKSJOB,)),
    # førtidspension: rehabiliteringsteam, from temporary benefits and fleksjob (§1.2).
    (S.FOERTIDSPENSION, REHAB, (*(s for s in TEMPORARY_BENEFITS if s != S.UDDANNELSESHJAELP_UDDANNELSESPARAT),
                                S.FLEKSJOB)),
    # seniorpension: any state, decided by Seniorpensionsenheden (not the rehab team) (§1.2).
    (S.SENIORPENSION, H, (S.EMPLOYED, S.A_DAGPENGE, S.KONTANTHJAELP_JOBPARAT, S.KONTANTHJAELP_AKTIVITETSPARAT,
                          S.SYGEDAGPENGE, S.JOBAFKLARING, S.RESSOURCEFORLOEB, S.REVALIDERING, S.LEDIGHEDSYDELSE,
                          S.FLEKSJOB, S.SELVFORSOERGELSESYDELSE, S.OUTSIDE)),
    # selvforsørgelses- og hjemrejseydelse: a kontanthjælp claim failing the residence or work
    # requirement (§1.2); arrivals enter it through demography.
    (S.SELVFORSOERGELSESYDELSE, H, (S.EMPLOYED, S.EDUCATION, S.OUTSIDE)),
    # efterløn: a-kasse members at efterløn age (§1.2, §2.6).
    (S.EFTERLOEN, H, (S.EMPLOYED, S.A_DAGPENGE, S.SYGEDAGPENGE, S.FLEKSJOB)),
    (S.OUTSIDE, H, (S.EMPLOYED, S.EDUCATION, S.A_DAGPENGE, *_SOCIAL_ASSISTANCE, S.SYGEDAGPENGE,
                    S.LEDIGHEDSYDELSE, S.FLEKSJOB, S.SELVFORSOERGELSESYDELSE)),
    # Forced moves (rules): revurdering → jobafklaring only from sygedagpenge (§2.2) …
    (S.JOBAFKLARING, R, (S.SYGEDAGPENGE,)),
    # … uddannelseshjælp ends at 30 (§1.2) …
    # (a reassessment in the month of the 30th birthday lands on the other kontanthjælp group).
    (S.KONTANTHJAELP_JOBPARAT, R, (S.UDDANNELSESHJAELP_UDDANNELSESPARAT, S.UDDANNELSESHJAELP_AKTIVITETSPARAT,
                                   S.A_DAGPENGE)),
    (S.KONTANTHJAELP_AKTIVITETSPARAT, R, (S.UDDANNELSESHJAELP_AKTIVITETSPARAT, S.UDDANNELSESHJAELP_UDDANNELSESPARAT,
                                          S.RESSOURCEFORLOEB)),  # … and a ressourceforløb at its longest ends (§2.3)
    # … exhausted a-dagpenge lead to kontanthjælp, uddannelseshjælp (under 30) or self-support (§2.1) …
    (S.UDDANNELSESHJAELP_UDDANNELSESPARAT, R, (S.A_DAGPENGE,)),
    (S.OUTSIDE, R, (S.A_DAGPENGE,)),
    # … and everyone reaches folkepension at the legal age (§2.6).
    (S.FOLKEPENSION, R, tuple(s for s in State if s != S.FOLKEPENSION)),
)


@cache
def danish_catalogue() -> StateCatalogue:
    """The built-in Danish catalogue (built on first use, then shared; it is immutable).

    >>> catalogue = danish_catalogue()
    >>> catalogue.n_states, catalogue.names[:3]
    (19, ('employed', 'education', 'a_dagpenge'))
    >>> catalogue.allows("a_dagpenge", "kontanthjaelp_jobparat", via=Gate.RULE)  # when a-dagpenge runs out
    True
    >>> catalogue.groupings()
    ('hjoerring', 'broenderslev')
    """
    transitions: dict[tuple[str, str], Gate] = {}
    for destination, gate, sources in _ENTRIES:
        for source in sources:
            key = (source.code_name, destination.code_name)
            transitions[key] = transitions.get(key, Gate.NONE) | gate
    return StateCatalogue.from_transitions("danish", _STATES, transitions)

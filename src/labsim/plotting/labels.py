"""The words on the figures, in English and Danish, and the state labels of the catalogue."""

from __future__ import annotations

from enum import StrEnum

from labsim.states import StateCatalogue, danish_catalogue
from labsim.validation import one_of

__all__ = ["Language", "LANGUAGES", "text", "state_label", "catalogue_for"]


class Language(StrEnum):
    """The languages of the labels (``lang``); a plain string such as ``"da"`` does as well."""

    EN = "en"
    DA = "da"


LANGUAGES: tuple[Language, ...] = tuple(Language)
"""The languages of the labels, in the order :data:`_TEXT` gives them."""

_TEXT: dict[str, tuple[str, str]] = {
    "month": ("Month", "Måned"),
    "year": ("Year", "År"),
    "persons": ("Persons", "Personer"),
    "fte": ("Full-time persons", "Fuldtidspersoner"),
    "public_support": ("On public support", "På offentlig forsørgelse"),
    "mio_dkk": ("Million DKK", "Mio. kr."),
    "median": ("median", "median"),
    "band50": ("50 %", "50 %"),
    "band90": ("90 %", "90 %"),
    "probability": ("Probability of meeting the target", "Sandsynlighed for at nå målet"),
    "targets": ("Targets", "Mål"),
    "working_age": ("Working-age population (16 to pension age)", "Befolkning i den erhvervsaktive alder"),
    "labour_force": ("Labour force", "Arbejdsstyrke"),
    "saving": ("Net saving per year", "Nettobesparelse pr. år"),
    "cumulative": ("Cumulative net saving", "Akkumuleret nettobesparelse"),
    "payback": ("paid back", "tjent hjem"),
    "no_payback": ("not paid back by the horizon", "ikke tjent hjem inden for perioden"),
    "business_case": ("Business case against", "Business case i forhold til"),
    "demand": ("demand", "efterspørgsel"),
    "capacity": ("capacity", "kapacitet"),
    "used": ("used", "brugt"),
    "waiting": ("waiting", "venter"),
    "capacity_title": ("Capacity and queues", "Kapacitet og køer"),
    "no_capacity": ("no scarce capacity in these runs", "ingen begrænset kapacitet i disse kørsler"),
    "team_caseworkers": ("caseworkers", "sagsbehandlere"),
    "team_caseworkers_unit": ("Caseworkers (full-time)", "Sagsbehandlere (fuldtid)"),
    "team_caseload": ("realised caseload", "faktisk sagsstamme"),
    "team_caseload_unit": ("Persons per caseworker", "Borgere pr. sagsbehandler"),
    "team_contacts": ("contacts per citizen", "kontakter pr. borger"),
    "team_contacts_unit": ("Meetings per person a month", "Samtaler pr. borger pr. måned"),
    "team_multiplier": ("multiplier", "faktor"),
    "team_multiplier_unit": ("Multiplier on moves to work and education", "Faktor på overgange til job og uddannelse"),
    "open_cases": ("open cases", "åbne sager"),
    "course_waiting": ("left waiting at an intake", "venteliste efter optag"),
    "mean_wait": ("mean wait, cases decided", "ventetid, afgjorte sager"),
    "mean_wait_admitted": ("mean wait, persons admitted", "ventetid, optagne"),
    "desk_wait": ("of it waiting for a preparer", "heraf ventetid på forberedelse"),
    "months": ("Months", "Måneder"),
    "intakes_title": ("seats and persons admitted", "pladser og optagne"),
    "intake": ("Intake", "Optag"),
    "seats": ("seats", "pladser"),
    "admitted": ("admitted", "optaget"),
    "persons_admitted": ("Persons admitted", "Optagne personer"),
    "observed": ("observed", "observeret"),
    "simulated": ("simulated (mean of runs)", "simuleret (gennemsnit af kørsler)"),
    "interval": ("runs' interval", "kørslernes interval"),
    "expected": ("expected path", "forventet forløb"),
    "calibration": ("Observed and simulated", "Observeret og simuleret"),
    "jobparate": ("Job-ready", "Jobparate"),
    "ikke_jobparate": ("Not job-ready", "Ikke-jobparate"),
    "permanente": ("Permanent benefits", "Permanente ydelser"),
    "midlertidig": ("Temporary benefits", "Midlertidige ydelser"),
    "integration": ("Integration", "Integration"),
    "net_cost": ("Net municipal cost", "Kommunens nettoudgift"),
    "benefits": ("Benefits paid", "Udbetalte ydelser"),
    "refund": ("State refund", "Statslig refusion"),
    "effort_cost": ("Cost of efforts", "Indsatsernes udgift"),
    "stocks_title": ("Persons by group", "Personer fordelt på grupper"),
    "section:scenario": ("The scenario", "Scenariet"),
    "section:strategies": ("The strategies", "Strategierne"),
    "section:targets": ("Targets", "Mål"),
    "section:outcomes": ("Persons on public support", "Personer på offentlig forsørgelse"),
    "section:business-case": ("The business case", "Business case"),
    "section:capacity": ("Capacity and queues", "Kapacitet og køer"),
    "section:observed": ("Observed beside simulated", "Observeret og simuleret"),
    "section:baseline": ("Baseline check", "Kontrol af basislinjen"),
    "section:assumptions": ("Assumptions and their sources", "Antagelser og kilder"),
    "section:reproducibility": ("Reproducing these results", "Genskab resultaterne"),
}


def check_lang(lang: Language | str) -> int:
    """The index of ``lang`` in :data:`LANGUAGES`; anything but a :class:`Language` is an error listing them."""
    return LANGUAGES.index(Language(one_of(Language)(lang, "lang")))


def text(key: str, lang: Language | str) -> str:
    """The label ``key`` in ``lang`` (the key itself when there is no label for it)."""
    index = check_lang(lang)
    return _TEXT[key][index] if key in _TEXT else key


def catalogue_for(states: object) -> StateCatalogue | None:
    """The Danish catalogue when every name in ``states`` is one of its states, else ``None``."""
    danish = danish_catalogue()
    names = {str(s) for s in states}  # type: ignore[attr-defined]
    return danish if names <= set(danish.names) else None


def state_label(name: str, lang: Language | str, catalogue: StateCatalogue | None) -> str:
    """A state's label in ``lang`` from ``catalogue`` (its name when the catalogue does not know it)."""
    index = check_lang(lang)
    if catalogue is None or name not in catalogue:
        return name.replace("_", " ")
    info = catalogue.info(name)
    return (info.label_en, info.label_da)[index]

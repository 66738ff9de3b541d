"""Person attributes with fixed levels: sex, education and origin.

Attributes are stored as ``int8`` codes; together they form a person's *profile*, one of
``N_PROFILES`` combinations that index the cell table.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
import numpy.typing as npt

__all__ = ["Sex", "Education", "Origin", "ATTRIBUTES", "N_PROFILES", "profile_code", "profile_levels",
           "qualified_profile"]


class Sex(IntEnum):
    """Sex as registered in CPR."""

    FEMALE = 0
    MALE = 1


class Education(IntEnum):
    """Highest completed education (DOMAIN.md §5.1 B15 uses the same three levels)."""

    UFAGLAERT = 0
    """No vocational qualification (ufaglært)."""
    FAGLAERT = 1
    """Vocational qualification (faglært)."""
    VIDEREGAAENDE = 2
    """Higher education (videregående uddannelse)."""


class Origin(IntEnum):
    """Origin as the plans count it."""

    DANSK = 0
    INDVANDRER = 1
    FLYGTNING_FAMILIESAMMENFOERT = 2
    """Refugees and family-reunified persons (HJ §3.4, BR p.21)."""


ATTRIBUTES: dict[str, type[IntEnum]] = {"sex": Sex, "education": Education, "origin": Origin}
"""The attributes of a person, in profile order."""

N_PROFILES = len(Sex) * len(Education) * len(Origin)


def profile_code(
    sex: npt.NDArray[np.int8], education: npt.NDArray[np.int8], origin: npt.NDArray[np.int8]
) -> npt.NDArray[np.int8]:
    """Combine attribute codes into profile codes ``(sex · 3 + education) · 3 + origin``."""
    code = sex * np.int8(len(Education))
    code += education
    code *= np.int8(len(Origin))
    code += origin
    return code


def profile_levels() -> npt.NDArray[np.int8]:
    """``(N_PROFILES, 3)`` array: the sex, education and origin code of each profile."""
    grid = np.indices((len(Sex), len(Education), len(Origin))).reshape(3, -1).T
    return grid.astype(np.int8)


def qualified_profile(profiles: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """For each profile code, the profile a qualification gained in education leads to: the skilled (faglært)
    profile of the same sex and origin for an unskilled one, −1 for the others (DOMAIN.md §1.2).

    >>> unskilled = profile_code(np.int8(Sex.MALE), np.int8(Education.UFAGLAERT), np.int8(Origin.INDVANDRER))
    >>> skilled = profile_code(np.int8(Sex.MALE), np.int8(Education.FAGLAERT), np.int8(Origin.INDVANDRER))
    >>> qualified_profile([unskilled, skilled]).tolist() == [skilled, -1]
    True
    """
    codes = np.asarray(profiles, np.int64)
    origin = codes % len(Origin)
    education = codes // len(Origin) % len(Education)
    sex = codes // (len(Origin) * len(Education))
    skilled = (sex * len(Education) + Education.FAGLAERT) * len(Origin) + origin
    return np.where(education == Education.UFAGLAERT, skilled, -1)

"""Build labsim's default Danish life table (src/labsim/data/danish_life_table.csv).

Source: period life expectancy at birth 2020/2021 of 83.4 years for women and 79.6 years for men
(Danmarks Statistik, as published on livogdoed.dk/temaer/fakta-om-doden-danmark). No age-specific
table was at hand, so the table is a Gompertz–Makeham law fitted to those two numbers.
Assumptions: the Gompertz slope of 0.10 per year (mortality doubling about every 7 years of age, the
usual adult pattern), a background hazard of 0.0002 a year and an infant death probability of
0.003. Replace the CSV with Danmarks Statistik's own dødelighedstavle when it is available: the
file format is one row per age with columns age, women, men.

    python calibration/life_table/make_life_table.py
"""

from __future__ import annotations

from pathlib import Path

from labsim.core.life_table import gompertz_makeham

LIFE_EXPECTANCY = (83.4, 79.6)  # women, men, 2020/2021 (Danmarks Statistik via livogdoed.dk)
OUT = Path(__file__).resolve().parents[2] / "src" / "labsim" / "data" / "danish_life_table.csv"


def main() -> None:
    table = gompertz_makeham(LIFE_EXPECTANCY, slope=0.10, background=0.0002, infant=0.003)
    lines = [
        "# labsim default Danish life table: one-year death probabilities by age (dødshyppighed).",
        "# Gompertz-Makeham law fitted to period life expectancy at birth 2020/2021: women 83.4, men 79.6 years",
        "# (Danmarks Statistik, via livogdoed.dk/temaer/fakta-om-doden-danmark). Slope 0.10/year, background",
        "# 0.0002/year and infant probability 0.003 are assumptions. Made by calibration/life_table/make_life_table.py.",
        "age,women,men",
    ]
    q = table.death_probability
    lines += [f"{age},{q[0, age]:.8f},{q[1, age]:.8f}" for age in range(table.max_age + 1)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    women, men = table.life_expectancy()
    print(f"wrote {OUT} (life expectancy at birth: women {women:.2f}, men {men:.2f})")


if __name__ == "__main__":
    main()

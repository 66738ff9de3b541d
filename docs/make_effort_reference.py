"""Write docs/efforts.md, the reference of the built-in efforts, from the code."""

from pathlib import Path

from labsim.policy.library.reference import reference_markdown

if __name__ == "__main__":
    target = Path(__file__).with_name("efforts.md")
    target.write_text(reference_markdown(), encoding="utf-8")
    print(f"wrote {target}")

"""The state catalogue: states, their groups, and the gates on moves between them."""

from labsim.states.catalogue import StateCatalogue
from labsim.states.danish import State, danish_catalogue
from labsim.states.selection import select_states
from labsim.states.state import Gate, StateInfo

__all__ = ["StateCatalogue", "StateInfo", "Gate", "State", "danish_catalogue", "select_states"]

"""Reading and writing files at labsim's edge: model parameters and municipality profiles."""

from labsim.io.model_file import default_model, read_model
from labsim.io.profile_file import default_profile, read_profile

__all__ = ["default_model", "read_model", "default_profile", "read_profile"]

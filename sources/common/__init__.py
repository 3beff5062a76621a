"""Helpers shared by the simulators and the extract clients."""

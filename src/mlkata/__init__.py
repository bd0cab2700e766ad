"""mlkata: auto-graded coding katas for machine-learning engineers."""

__version__ = "0.1.0"

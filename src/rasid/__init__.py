"""rasid (راصد): Arabic-first, source-attributed intelligence for conflict reporting."""

__version__ = "0.1.0"

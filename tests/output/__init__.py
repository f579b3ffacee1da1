"""The output formats and their streaming writers."""

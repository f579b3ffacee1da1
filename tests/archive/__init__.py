"""Helpdesk archives: replylint.frame, ``replylint scan``, Spark and Dask, ``replylint report``."""

"""replylint's tests, in folders that mirror the package (see each folder's docstring).

A package, so that test modules in different folders may share a name and import each other
and the helpers here by full name (``from tests.positions import read_back``).
"""

"""Getting data in: reading files, validating them, storing them, and the Kolada client.

Modules here may use the base modules and the pure checks of :mod:`jamlib.analysis`.
"""

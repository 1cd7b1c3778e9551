"""Pure analyses: data frames in, new data frames out; no file, no network.

Modules here import only jamlib's base modules (and each other).
"""

"""Data: seeded toy data sets (XOR, flower, moons, circles), CSV files and the Standardizer, in the (d, m) layout.

The package ``minifw`` exports them; import them from there (``mf.load_csv``) or from their modules here.
"""

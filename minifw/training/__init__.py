"""Training: ``train`` and its ``History``, ``check_gradients``, ``trace`` of one step, and metrics.

The package ``minifw`` exports them; import them from there (``mf.train``) or from their modules here.
"""

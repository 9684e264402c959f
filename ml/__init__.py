"""Mentoring-support model: pure scikit-learn code (arrays in, arrays out).

Built under the mentoring-model issue; imports nothing from ``portal`` or ``training``.
"""

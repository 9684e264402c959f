"""The accounts domain's services: sessions and account management, and login throttling.

``sessions`` (login, refresh, logout, the per-request authenticator, grants and account
management by administrators) and ``throttle`` (the backoff on failed logins).
"""

"""The notifications domain's services: the in-portal inbox and delivery outside the portal.

``inbox`` (notifications stored per account and streamed live; what other domains call inside
their write transaction) and ``channels`` (each account's e-mail and Web Push channels, quiet
hours, delivery claims and retention).
"""

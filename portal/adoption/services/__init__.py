"""The adoption domain's services: the dashboard's metrics, programs, attendance and surveys.

``dashboard`` (the funnel, cohorts and lagging OPDs, cached), ``programs`` (programs and
sessions), ``attendance`` (invitations, check-in, feedback) and ``surveys`` (pulse surveys).
"""

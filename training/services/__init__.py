"""The training domain's services: the catalogue, booking, assignments, JP and recommendations.

``catalogue`` (competencies and courses), ``booking`` (the capacity-safe assign and enrol),
``assignments`` (reads and the status workflow), ``jp`` (ledgers, roll-ups, the at-risk list),
``recommendations`` (ranked, explained courses; accept and dismiss) and ``signals`` (what the
ranking reads, in batches). The pure rules stay beside the package: ``ledger``, ``recommend``
and ``profiles``.
"""

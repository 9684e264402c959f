"""Training module: competencies, courses, assignments, the 20 JP ledger, recommendations.

Built under the training issue; a Piccolo app with the same file set as a portal domain.
"""

"""The processes a BKPSDM expects (issue 20): keberatan (objections to an annual evaluation).

A domain of its own over the performance records: it reads evaluations through the performance
services and asks them to revise a predikat when an objection is granted, so the curve and the
incentives (which read ``evaluation.predikat``) follow the final decision.
"""

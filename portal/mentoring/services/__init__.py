"""The mentoring domain's services: alerts and their outcomes, and the scoring run.

``alerts`` (who sees an alert, how supervisors respond, the model registry listing and the
scoring runs' history; light, imported by the web app) and ``scoring`` (the database -> ``ml``
-> stored scores run; it imports pandas and scikit-learn, so only the batch paths and the
scoring mutation import it).
"""

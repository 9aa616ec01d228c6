"""Step handlers of the `analytics_pipeline` template.

Each module holds one StepHandler; the worker finds them by `handler_name`,
so nothing is re-exported here (re-exports would register every handler twice).
"""

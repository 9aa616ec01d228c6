"""Step handlers of the `process_refund` template in namespace `payments`.

Each module holds one StepHandler; the worker finds them by `handler_name`,
so nothing is re-exported here (re-exports would register every handler twice).
"""

"""The customer success team's namespace: refund requests raised from support tickets."""

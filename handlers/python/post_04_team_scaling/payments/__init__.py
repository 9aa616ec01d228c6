"""The payments team's namespace: refunds executed against the payment gateway."""

"""The domain: calendar, case state machine, deadline rules, codes, and the service functions."""

"""Web accounts: password hashing and login limits."""

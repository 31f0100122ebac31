"""Side effects of reminders: composing and sending mail, and the outbox relay."""

"""Background tasks of parenting support: none of its own. The reminders are a daily command
(`parenting remind`); the e-mails and SMS go through the notifications' task queue on commit."""

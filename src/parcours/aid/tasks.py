"""Aides financières individuelles: tasks."""

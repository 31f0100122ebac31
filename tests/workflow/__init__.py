"""Tests of the domain rules in workflow/: the machine, calendar, service, import, sweep."""

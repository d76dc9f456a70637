"""Human handoff: escalation to the chamber's advisors (live chat or callback)."""

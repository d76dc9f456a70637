"""Events of the chamber (demo files or an imported iCalendar) and their recommendation."""

"""The dashboard "Wirkung": daily counts that survive the retention purge, figures per
week or month, charts, CSV and the monthly report."""

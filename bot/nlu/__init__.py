"""NLU helpers: the trade lexicon and the Rasa component that uses it."""

"""The analysis course (``notebooks/kurs/``): course data with Swedish columns and self-checks for the exercises."""

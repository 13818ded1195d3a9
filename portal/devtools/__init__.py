"""Development and benchmark tools: demo data, the data generator, the baseline page. Not used in production."""

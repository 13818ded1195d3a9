"""The insight dashboard for supervisors and commissioners, and the published summary. SQL aggregates only."""

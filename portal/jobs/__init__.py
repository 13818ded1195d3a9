"""Background work on RQ (Redis Queue) when REDIS_URL is set.

tasks.py holds the job functions (thin wrappers round the same service functions the flask CLI commands run),
schedule.py what runs how often, queue.py the Redis connection and the hand-off of new emails after commit.
With no Redis, nothing here is used: cron runs the CLI commands instead (the embedded default).
"""

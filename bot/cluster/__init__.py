"""What several gateway instances share: the bus for pushes and presence, rate
limits, per-conversation locks, and jobs that run once per cluster. Without
REDIS_URL everything stays in this process (one instance, `make run`)."""

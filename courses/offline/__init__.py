"""Learning offline: the package a trainee's phone keeps, and the sync of what was learnt
while offline (docs/offline.md)."""

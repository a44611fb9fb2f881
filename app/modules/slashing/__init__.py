"""x/slashing with x/evidence's double-sign handling: liveness, downtime and equivocation."""

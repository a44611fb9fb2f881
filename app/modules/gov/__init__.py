"""x/gov v1: proposals carrying messages, deposits, weighted votes, the stake-weighted tally."""

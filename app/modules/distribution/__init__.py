"""x/distribution: fee allocation and F1 delegator rewards (cosmos-sdk v0.50)."""

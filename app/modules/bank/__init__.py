"""x/bank: balances, supply, sends, mint and burn, denom metadata and send-enabled flags."""

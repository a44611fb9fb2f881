"""x/auth: accounts (numbers, sequences, public keys), module accounts, and auth params."""

"""The `allianced` client: keys, transactions and queries over CometBFT RPC."""

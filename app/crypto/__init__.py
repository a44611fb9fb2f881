"""Keys and signatures: secp256k1 account keys, BIP39/BIP32 derivation, ed25519 validator keys."""

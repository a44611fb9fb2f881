"""The Cosmos SDK v0.50 tx format: decoding (node side) and signed building (client side)."""

from app.tx.decode import DecodedTx, SignerInfo, decode_tx
from app.tx.sign import Signer, build_signed_tx, sign_doc_bytes, tx_hash

__all__ = [
    "DecodedTx",
    "Signer",
    "SignerInfo",
    "build_signed_tx",
    "decode_tx",
    "sign_doc_bytes",
    "tx_hash",
]

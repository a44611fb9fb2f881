"""The error registry: every user-facing failure is a registered (codespace, code) pair.

    Exception
    ├── ChainError            a registered error; becomes a non-zero ABCI code with its log
    └── InvariantViolation    a broken invariant of the state machine: the node halts

Each module registers its kinds in its own ``errors.py`` with `register_error`, from code 2 up;
registering the same (codespace, code) twice fails at import. Code 1 of every codespace means
"internal": the details are logged on the node and hidden from the response. Only `app.chain`
turns an exception into (codespace, code, log), with `abci_error`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SDK_CODESPACE",
    "ChainError",
    "ErrorKind",
    "InvariantViolation",
    "abci_error",
    "register_error",
]

SDK_CODESPACE = "sdk"
"""The codespace of the SDK's own errors (cosmos-sdk ``types/errors/errors.go``)."""

INTERNAL_CODE = 1
"""The code of an unexpected exception; its details never reach the response log."""

INTERNAL_LOG = "internal error"
"""The log shown for code 1, whatever the exception said."""


class ChainError(Exception):
    """A registered error: the tx or query fails with (codespace, code) and `message` as its log."""

    def __init__(self, codespace: str, code: int, message: str) -> None:
        super().__init__(message)
        self.codespace = codespace
        self.code = code
        self.message = message


class InvariantViolation(Exception):
    """State that must never occur was found: the application halts rather than go on."""


@dataclass(frozen=True, slots=True)
class ErrorKind:
    """One registered error: its codespace, its code and a short description."""

    codespace: str
    code: int
    description: str

    def wrap(self, details: str) -> ChainError:
        """This error with details in front, as the SDK's ``Wrap``: "details: description"."""
        return ChainError(self.codespace, self.code, f"{details}: {self.description}")

    def error(self) -> ChainError:
        """This error with its description alone as the log."""
        return ChainError(self.codespace, self.code, self.description)


_REGISTRY: dict[tuple[str, int], ErrorKind] = {}


def register_error(codespace: str, code: int, description: str) -> ErrorKind:
    """Register an error kind; codes start at 2 (1 is internal) and must be unique per codespace.

    Raises:
        ValueError: the code is below 2 or (codespace, code) is already registered.
    """
    if code <= INTERNAL_CODE:
        raise ValueError(f"error code {code} is reserved: register codes from 2 up")
    if (codespace, code) in _REGISTRY:
        raise ValueError(f"error {codespace}:{code} is already registered")
    kind = ErrorKind(codespace, code, description)
    _REGISTRY[(codespace, code)] = kind
    return kind


def abci_error(exc: Exception) -> tuple[str, int, str]:
    """The (codespace, code, log) of an exception; anything unregistered is ``sdk`` code 1.

    An `InvariantViolation` is not converted: it must halt the node, so callers re-raise it first.
    """
    if isinstance(exc, ChainError):
        return exc.codespace, exc.code, exc.message
    return SDK_CODESPACE, INTERNAL_CODE, INTERNAL_LOG


ErrTxDecode = register_error(SDK_CODESPACE, 2, "tx parse error")
ErrInvalidSequence = register_error(SDK_CODESPACE, 3, "invalid sequence")
ErrUnauthorized = register_error(SDK_CODESPACE, 4, "unauthorized")
ErrInsufficientFunds = register_error(SDK_CODESPACE, 5, "insufficient funds")
ErrUnknownRequest = register_error(SDK_CODESPACE, 6, "unknown request")
ErrInvalidAddress = register_error(SDK_CODESPACE, 7, "invalid address")
ErrInvalidPubKey = register_error(SDK_CODESPACE, 8, "invalid pubkey")
ErrUnknownAddress = register_error(SDK_CODESPACE, 9, "unknown address")
ErrInvalidCoins = register_error(SDK_CODESPACE, 10, "invalid coins")
ErrOutOfGas = register_error(SDK_CODESPACE, 11, "out of gas")
ErrMemoTooLarge = register_error(SDK_CODESPACE, 12, "memo too large")
ErrInsufficientFee = register_error(SDK_CODESPACE, 13, "insufficient fee")
ErrTooManySignatures = register_error(SDK_CODESPACE, 14, "maximum number of signatures exceeded")
ErrNoSignatures = register_error(SDK_CODESPACE, 15, "no signatures supplied")
ErrJSONMarshal = register_error(SDK_CODESPACE, 16, "failed to marshal JSON bytes")
ErrJSONUnmarshal = register_error(SDK_CODESPACE, 17, "failed to unmarshal JSON bytes")
ErrInvalidRequest = register_error(SDK_CODESPACE, 18, "invalid request")
ErrTxInMempoolCache = register_error(SDK_CODESPACE, 19, "tx already in mempool")
ErrMempoolIsFull = register_error(SDK_CODESPACE, 20, "mempool is full")
ErrTxTooLarge = register_error(SDK_CODESPACE, 21, "tx too large")
ErrKeyNotFound = register_error(SDK_CODESPACE, 22, "key not found")
ErrWrongPassword = register_error(SDK_CODESPACE, 23, "invalid account password")
ErrorInvalidSigner = register_error(
    SDK_CODESPACE, 24, "tx intended signer does not match the given signer"
)
ErrorInvalidGasAdjustment = register_error(SDK_CODESPACE, 25, "invalid gas adjustment")
ErrInvalidHeight = register_error(SDK_CODESPACE, 26, "invalid height")
ErrInvalidVersion = register_error(SDK_CODESPACE, 27, "invalid version")
ErrInvalidChainID = register_error(SDK_CODESPACE, 28, "invalid chain-id")
ErrInvalidType = register_error(SDK_CODESPACE, 29, "invalid type")
ErrTxTimeoutHeight = register_error(SDK_CODESPACE, 30, "tx timeout height")
ErrUnknownExtensionOptions = register_error(SDK_CODESPACE, 31, "unknown extension options")
ErrWrongSequence = register_error(SDK_CODESPACE, 32, "incorrect account sequence")
ErrPackAny = register_error(SDK_CODESPACE, 33, "failed packing protobuf message to Any")
ErrUnpackAny = register_error(SDK_CODESPACE, 34, "failed unpacking protobuf message from Any")
ErrLogic = register_error(SDK_CODESPACE, 35, "internal logic error")
ErrConflict = register_error(SDK_CODESPACE, 36, "conflict")
ErrNotSupported = register_error(SDK_CODESPACE, 37, "feature not supported")
ErrNotFound = register_error(SDK_CODESPACE, 38, "not found")
ErrIO = register_error(SDK_CODESPACE, 39, "Internal IO error")
ErrAppConfig = register_error(SDK_CODESPACE, 40, "error in app.toml")
ErrInvalidGasLimit = register_error(SDK_CODESPACE, 41, "invalid gas limit")

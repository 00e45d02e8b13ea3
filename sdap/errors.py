"""The SDK's exceptions: one root, a small tree, and a class per on-chain custom error.

SdapError
├── ConfigurationError      bad deployment file, unknown contract, missing key
│   └── InvalidArgument     an argument of the wrong form (ForwardRequestGasTooLow: a relay's gas)
├── WalletError             keystore cannot be read, wrong password
├── CompilationError        sources cannot be recompiled (artifact and code checks)
├── ChainError              the node: connection, RPC error, timeout
│   ├── ConnectionFailed
│   ├── RpcError
│   └── TransactionTimeout
└── ContractError           the contract refused: decoded custom error with its arguments
    ├── <one class per custom error>   (sdap.contract_errors, generated)
    ├── PaymentNotAvailable             an offer's payer lacks the e-money or its allowance
    ├── Reverted                        a revert with a reason string
    └── UnknownRevert                   revert data no ABI of the platform explains
"""

from __future__ import annotations

from typing import Any, ClassVar


class SdapError(Exception):
    """Root of every exception the SDK raises."""


class ConfigurationError(SdapError):
    """The deployment file, the settings or an argument make no sense."""


class InvalidArgument(ConfigurationError, ValueError):
    """An argument of the wrong form, refused before any request reaches the node."""


class ForwardRequestGasTooLow(InvalidArgument):
    """A signed forward request grants its call less gas (`gas`) than the call needs (about
    `needed`): the forwarder would fail it. Nothing was sent; the holder signs a new request."""

    def __init__(self, gas: int, needed: int) -> None:
        super().__init__(f"the forward request grants its call {gas} gas; it needs about {needed}")
        self.gas = gas
        self.needed = needed


class WalletError(SdapError):
    """A keystore cannot be created, read or unlocked."""


class CompilationError(SdapError):
    """The contracts' sources cannot be recompiled."""


class ChainError(SdapError):
    """The node could not be used."""


class ConnectionFailed(ChainError):
    """The RPC endpoint cannot be reached."""


class RpcError(ChainError):
    """The node answered with an error that is not a contract revert."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message if code is None else f"{message} (code {code})")
        self.code = code


class TransactionTimeout(ChainError):
    """A sent transaction was not included in time. It may still be: check `tx_hash`."""

    def __init__(self, tx_hash: str, timeout: float) -> None:
        super().__init__(f"transaction {tx_hash} not included within {timeout:g} s")
        self.tx_hash = tx_hash
        self.timeout = timeout


class OutOfGas(ChainError):
    """A transaction was included but used all its gas: the state moved after the estimate."""

    def __init__(self, tx_hash: str, gas: int) -> None:
        super().__init__(f"transaction {tx_hash} ran out of its {gas} gas; send it again")
        self.tx_hash = tx_hash
        self.gas = gas


class ContractError(SdapError):
    """A contract refused the call. Subclasses are the contracts' custom errors, carrying their
    decoded arguments as attributes and in `arguments`."""

    selector: ClassVar[str] = ""
    signature: ClassVar[str] = ""
    argument_names: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *values: Any, tx_hash: str | None = None) -> None:
        self.arguments: dict[str, Any] = dict(zip(self.argument_names, values, strict=True))
        for name, value in self.arguments.items():
            setattr(self, name, value)
        self.tx_hash = tx_hash
        super().__init__(self._describe())

    @property
    def name(self) -> str:
        return self.signature.split("(", 1)[0] if self.signature else type(self).__name__

    def _describe(self) -> str:
        shown = ", ".join(f"{k}={_show(v)}" for k, v in self.arguments.items())
        return f"{self.name}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple(self.arguments.values()))


class Reverted(ContractError):
    """A revert with a plain reason string (`Error(string)`) or a panic code."""

    signature: ClassVar[str] = "Error(string)"
    argument_names: ClassVar[tuple[str, ...]] = ("reason",)
    reason: str


class PaymentNotAvailable(ContractError):
    """The payer of an offer's payment leg lacks `amount` of the e-money `token` or its allowance
    to the exchange. The token, not the platform, would refuse the transfer, with an error of its
    own no platform ABI knows, so the SDK checks first (the exchange's checkOffer) and raises this."""

    argument_names: ClassVar[tuple[str, ...]] = ("payer", "token", "amount")
    payer: str
    token: str
    amount: int


class UnknownRevert(ContractError):
    """Revert data that matches no error of the platform's ABIs; `data` is kept for diagnosis."""

    argument_names: ClassVar[tuple[str, ...]] = ("data",)
    data: str


def _show(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return repr(value) if isinstance(value, str) else str(value)

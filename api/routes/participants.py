"""Identified participants (Law art. 6.3): the operator onboards them (while its permit is in force)
and alone, with the regulator, re-identifies those it identified and moves them to a new wallet when
theirs is lost (the operator once compliance has frozen the lost wallet's account); the compliance
officer freezes and unfreezes accounts."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.auth.principal import Role
from api.chain.operation import Operation
from api.deps import AnyRole, Compliance, GatewayDep, Idem, IdentityAuthority, Operator, ParticipantReader
from api.errors import (
    CHAIN,
    WRITE,
    Forbidden,
    RegistryIdentityExpiryInPast,
    RegistryInvalidReplacement,
    RegistryNotParticipantOperator,
    RegistryParticipantNotRegistered,
    RegistryPermitNotActive,
    RegistryRecoveryNeedsFreeze,
    SecuredAssetWalletNotRecovered,
    Unauthenticated,
    problems,
)
from api.idempotency import blocking
from api.openapi import GatewayRoute
from api.schemas.common import Address, Reason, TxResult
from api.schemas.recovery import HoldingsRecovered, WalletRecovered, WalletRecoveryOrder
from api.schemas.registry import Participant, ParticipantIdentity, ParticipantRegistration

router = APIRouter(prefix="/participants", tags=["participants"], route_class=GatewayRoute)
AUTH = (Unauthenticated, Forbidden)


@router.get(
    "/{wallet}",
    response_model=Participant,
    summary="A participant and whether it may take part now",
    responses=problems(*AUTH, *CHAIN),
)
def get_participant(wallet: Address, caller: ParticipantReader, gateway: GatewayDep) -> Participant:
    queries = gateway.chain.queries
    return Participant.of(queries.participant(wallet), queries.participant_status(wallet), queries.recovered_to(wallet))


@router.post(
    "",
    response_model=TxResult,
    status_code=201,
    summary="Onboard an identified participant (the operator, while its permit is in force)",
    responses=problems(*AUTH, RegistryPermitNotActive, *WRITE),
)
async def register(body: ParticipantRegistration, caller: Operator, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller,
        201,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.operator(caller.address, op).register_participant(
                    body.wallet, body.identity_ref, body.identity_expiry
                )
            )
        ),
    )


@router.post(
    "/{wallet}/identity",
    response_model=TxResult,
    summary="Renew a participant's identification (the operator that identified it, or the regulator)",
    description="Sent with the caller's own key; the participant stays with the operator that identified it.",
    responses=problems(*AUTH, RegistryPermitNotActive, RegistryNotParticipantOperator, *WRITE),
)
async def update_identity(
    wallet: Address, body: ParticipantIdentity, caller: IdentityAuthority, gateway: GatewayDep, idem: Idem
) -> Response:
    chain = gateway.chain

    def act(op: Operation | None) -> TxResult:
        by_regulator = caller.role == Role.REGULATOR
        client = chain.regulator(caller.address, op) if by_regulator else chain.operator(caller.address, op)
        return TxResult.of(client.update_identity(wallet, body.identity_ref, body.identity_expiry))

    return await idem.respond(caller, 200, blocking(act))


@router.post(
    "/{wallet}/recovery",
    response_model=WalletRecovered,
    summary="Move a participant whose wallet is lost to a new wallet, with its holdings "
    "(the operator that identified it, or the regulator)",
    description=(
        "Sent with the caller's own key, as two transactions: the registry records the recovery (the "
        "participant, its operator, freeze and acknowledgement go on under `replacement`, re-identified; the "
        "lost wallet is deregistered for good), then the asset moves the lost wallet's whole position there: "
        "every unit of each issuance it holds, frozen units staying frozen, and its encumbrances, found from "
        "the chain's events. An operator needs a compliance officer to have frozen the lost wallet's account "
        "first (POST /v1/participants/{wallet}/freeze), else `registry_recovery_needs_freeze`: two hands, not "
        "one operator key; the replacement inherits the freeze, so its units move only once compliance "
        "unfreezes it. The regulator's order needs no freeze. A retry with the same `Idempotency-Key` after "
        "an interruption waits for the recorded transaction instead of recording the recovery again. Should "
        "the move fail after the recovery was recorded, retry with the same key or ask POST "
        "/v1/participants/{wallet}/holdings-recovery."
    ),
    responses=problems(
        *AUTH,
        RegistryParticipantNotRegistered,
        RegistryNotParticipantOperator,
        RegistryPermitNotActive,
        RegistryRecoveryNeedsFreeze,
        RegistryInvalidReplacement,
        RegistryIdentityExpiryInPast,
        *WRITE,
    ),
)
async def recover_wallet(
    wallet: Address, body: WalletRecoveryOrder, caller: IdentityAuthority, gateway: GatewayDep, idem: Idem
) -> Response:
    return await idem.respond(
        caller, 200, blocking(lambda op: gateway.wallet_recoveries.recover(caller, wallet, body, op))
    )


@router.post(
    "/{wallet}/holdings-recovery",
    response_model=HoldingsRecovered,
    summary="Move what a recovered wallet still holds to where its participant is now",
    description=(
        "Finishes a recovery whose move did not happen (one recorded outside the gateway, or interrupted): "
        "the lost wallet's units of every issuance it holds, frozen units staying frozen, and its encumbrances, "
        "found from the chain's events, go to its replacement (the last one, if that was lost too). Anyone "
        "signed in may ask: the call is permissionless on-chain, since the registry decided where the units "
        "go, so the gateway's operator sends it. Nothing left to move is answered with empty lists and no "
        "transaction."
    ),
    responses=problems(*AUTH, SecuredAssetWalletNotRecovered, *WRITE),
)
async def recover_holdings(wallet: Address, caller: AnyRole, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(caller, 200, blocking(lambda op: gateway.wallet_recoveries.finish(wallet, op)))


@router.post(
    "/{wallet}/freeze", response_model=TxResult, summary="Freeze an account", responses=problems(*AUTH, *WRITE)
)
async def freeze(wallet: Address, body: Reason, caller: Compliance, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller,
        200,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.compliance(caller.address, op).freeze_participant(wallet, body.reason_hash)
            )
        ),
    )


@router.post(
    "/{wallet}/unfreeze", response_model=TxResult, summary="Unfreeze an account", responses=problems(*AUTH, *WRITE)
)
async def unfreeze(wallet: Address, body: Reason, caller: Compliance, gateway: GatewayDep, idem: Idem) -> Response:
    return await idem.respond(
        caller,
        200,
        blocking(
            lambda op: TxResult.of(
                gateway.chain.compliance(caller.address, op).unfreeze_participant(wallet, body.reason_hash)
            )
        ),
    )

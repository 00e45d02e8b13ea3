// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICollateralAttestations} from "./ICollateralAttestations.sol";
import {IPlatformRegistry} from "./IPlatformRegistry.sol";
import {ISecuredAssetTypes} from "./ISecuredAssetTypes.sol";

/// @title What the asset contract runs itself: minting, the issuance's operation, encumbrance,
/// freeze and the views
/// @notice The acts that create issuances or move units by order or redemption the asset runs
/// through its extension ({ISecuredAssetExtension}) on its own storage; {ISecuredAsset} is the whole.
interface ISecuredAssetCore is ISecuredAssetTypes {
    /// @notice Mints `amount` units to `to`. Only the issuance's operator, while its permit is
    /// active, the issuance open, the type listed and the issuer active; `to` must be eligible and
    /// verified collateral must cover the supply after the mint.
    function mint(uint256 id, address to, uint256 amount) external;

    /// @notice Counts the issuance's live collateral again and records until when it covers the
    /// supply. Anyone may call it: it only writes what the attestations say. The collateral
    /// contract calls it on every attachment, renewal and revocation, and a movement calls it when
    /// an accreditation was withdrawn since the last count; expiry needs no call.
    function syncCoverage(uint256 id) external returns (Coverage memory);

    /// @notice The caller locks `amount` of its units in favour of `beneficiary`, optionally until
    /// `expiry` (0 for none). Locked units cannot move until released or enforced.
    function encumber(uint256 id, uint256 amount, address beneficiary, bytes32 referenceHash, uint64 expiry)
        external
        returns (uint256 encumbranceId);

    /// @notice The beneficiary releases an encumbrance; the holder may too once it has expired. A
    /// beneficiary whose wallet was recovered acts from its new wallet (`recoveredTo`), never from
    /// the lost one.
    function release(uint256 encumbranceId) external;

    /// @notice The issuance's operator moves the locked units to the beneficiary (to its new wallet
    /// if the beneficiary's was recovered).
    function enforce(uint256 encumbranceId, bytes32 referenceHash) external;

    /// @notice Stops every dealing in an issuance's units (transfers, mints, encumbrance, enforcement,
    /// redemption requests): its operator (with OPERATOR_ROLE and an active permit) or the regulator,
    /// which a supervisor (SUPERVISOR_ROLE) stands for at once. The regulator may also take over an
    /// operator's or a supervisor's pause. Requests already made may still be settled: a delivery
    /// the issuer confirms has happened, and a refusal only gives units back; regulator orders and
    /// recovery still run; and an operator's pause no longer stops redemption requests once that
    /// operator's permit is not in force (it could not lift it any more).
    function pause(uint256 id) external;

    /// @notice Lifts a pause: the regulator's own pause only the regulator; a supervisor's pause the
    /// regulator or a supervisor; an operator's pause any of them.
    function unpause(uint256 id) external;

    /// @notice Records that the issuer's obligations are fulfilled; needs a supply of zero and a
    /// fulfilment hash (the record of what was delivered). The issuer, or the issuance's operator
    /// with OPERATOR_ROLE and an active permit.
    function close(uint256 id, bytes32 fulfilmentHash) external;

    /// @notice The regulator hands issuances to `successor`, an operator with OPERATOR_ROLE and an
    /// active permit (Law art. 6.1-6.2: when a permit is suspended or revoked, the issuances it
    /// carried are not orphaned). Every id must exist and not be run by `successor` already.
    function succeedIssuances(uint256[] calldata ids, address successor, bytes32 orderHash) external;

    /// @notice The issuer, while active in the register, points the decision to where it is
    /// published now (a new website); the anchored `decisionHash` does not change, so the copy
    /// there must be the same decision.
    function updateDecisionUri(uint256 id, string calldata decisionUri) external;

    /// @notice A compliance officer freezes part of a holder's units of one issuance.
    function freezeUnits(uint256 id, address holder, uint256 amount, bytes32 reasonHash) external;

    function unfreezeUnits(uint256 id, address holder, uint256 amount, bytes32 reasonHash) external;

    /*//////////////////////////////////////////////////////////////
                    EXCHANGE (only the asset's own exchange)
    //////////////////////////////////////////////////////////////*/

    /// @notice Moves one leg of a settled exchange under every rule of a transfer sent by `from`
    /// itself: the exchange checked `from`'s signature or call. Only {exchange}.
    function exchangeTransfer(address from, address to, uint256 id, uint256 amount) external;

    /// @notice Holds `amount` free units of `seller` for `buyer`: refused if a transfer between
    /// them could not happen now. Held units move by no route until released. Only {exchange}.
    function escrowUnits(address seller, address buyer, uint256 id, uint256 amount) external;

    /// @notice Releases units held by {escrowUnits}; with a `buyer`, moves them to the buyer's
    /// wallet now (its replacement if recovered) under every rule of a transfer, and returns it.
    /// Only {exchange}.
    function releaseEscrowedUnits(address seller, uint256 id, uint256 amount, address buyer)
        external
        returns (address deliveredTo);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function issuance(uint256 id) external view returns (Issuance memory);

    function issuerOf(uint256 id) external view returns (address);

    function issuanceCount() external view returns (uint256);

    function encumbrance(uint256 encumbranceId) external view returns (Encumbrance memory);

    function encumbranceCount() external view returns (uint256);

    function encumberedUnits(uint256 id, address holder) external view returns (uint256);

    function frozenUnits(uint256 id, address holder) external view returns (uint256);

    /// @notice Units of `holder` held for a buyer by the exchange (delivery against off-chain payment).
    function escrowedUnits(uint256 id, address holder) external view returns (uint256);

    /// @notice Units `holder` may move now: its balance less encumbered, frozen and escrowed units.
    function availableUnits(uint256 id, address holder) external view returns (uint256);

    function registry() external view returns (IPlatformRegistry);

    function collateral() external view returns (ICollateralAttestations);

    /// @notice The contract whose code runs the asset's less frequent acts on the asset's storage.
    function extension() external view returns (address);

    /// @notice The exchange ({ISecuredExchange}) this asset deployed, the only one it lets move or
    /// hold units for an exchange.
    function exchange() external view returns (address);
}

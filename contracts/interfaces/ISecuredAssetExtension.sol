// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICollateralAttestations} from "./ICollateralAttestations.sol";
import {IPlatformRegistry} from "./IPlatformRegistry.sol";
import {ISecuredAssetTypes} from "./ISecuredAssetTypes.sol";

/// @title The asset's less frequent acts: issuance with the issuer's consent, orders that move
/// units (forced transfer, recovery), redemption
/// @notice Called at the asset's address: the asset delegates them to its extension contract,
/// which runs them on the asset's storage (so events come from the asset, as for every act).
interface ISecuredAssetExtension is ISecuredAssetTypes {
    /*//////////////////////////////////////////////////////////////
                               ISSUANCES
    //////////////////////////////////////////////////////////////*/

    /// @notice Creates an issuance run by the caller, with the issuer's consent to exactly these
    /// terms and this operator (`consent`, see {IssuerConsent}). The caller must be an operator with
    /// an active permit, the issuer active in the state register and the type listed; the decision
    /// to issue (hash and public URI) and the rights evidence are recorded before any unit exists
    /// (Law art. 5.1). The consent's nonce is spent.
    function createIssuance(IssuanceParams calldata params, IssuerConsent calldata consent)
        external
        returns (uint256 id);

    /// @notice The caller, as issuer, spends `nonce` so that a consent it signed with it can no
    /// longer be used. `nonce` must be its next unused nonce for that key.
    function withdrawConsent(uint256 nonce) external;

    /*//////////////////////////////////////////////////////////////
                                 ORDERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Moves units by regulator order, whatever the freeze, pause or permit state, but never
    /// encumbered units, never to a wallet that is not eligible and never to the same wallet.
    function forcedTransfer(uint256 id, address from, address to, uint256 amount, bytes32 orderHash) external;

    /// @notice Moves a recovered wallet's whole position in `ids` to the wallet the registry
    /// recovered it to (`recoveredTo`, followed to the last replacement if that one was lost too):
    /// a pledge moves only with its units (`SecuredAsset_EncumbranceWithoutUnits`); every unit, frozen units staying frozen, and each of its
    /// encumbrances in those issuances (`encumbranceIds`: all of them, or the call reverts), which
    /// keep their beneficiaries. Whatever the pause, permit, freeze or coverage: the same person's
    /// position, not a dealing. Anyone may send it: where the units go was decided in the registry.
    function recoverHoldings(address lost, uint256[] calldata ids, uint256[] calldata encumbranceIds) external;

    /*//////////////////////////////////////////////////////////////
                               REDEMPTION
    //////////////////////////////////////////////////////////////*/

    /// @notice Asks the issuer to redeem `amount` units of `holder` (the holder or its approved
    /// operator): they move into the asset's custody, out of circulation, until the issuer confirms
    /// delivery or refuses. The holder's dealing rules apply as to a transfer; the operator's permit,
    /// the issuance's coverage and the recipient rules do not (holders can always get what their
    /// units certify: Law art. 6.1-6.2 end the operator's dealing, not the issuer's obligation).
    function requestRedemption(uint256 id, address holder, uint256 amount, bytes32 fulfilmentRef)
        external
        returns (uint256 requestId);

    /// @notice The issuance's issuer, while active in the register (`SecuredAsset_IssuerNotActive`
    /// otherwise), confirms it delivered what the units certify; they are burnt.
    function confirmRedemption(uint256 requestId, bytes32 deliveryRef) external;

    /// @notice The issuer refuses a request (or the regulator does, by order, when the issuer
    /// cannot): the units go back to the holder's wallet now, whatever their state.
    function refuseRedemption(uint256 requestId, bytes32 reasonHash) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function redemptionRequest(uint256 requestId) external view returns (RedemptionRequest memory);

    function redemptionCount() external view returns (uint256);

    /// @notice Whether `holder` could ask to redeem `amount` units of `id` now, and if not, the first reason.
    function checkRedemption(uint256 id, address holder, uint256 amount) external view returns (Refusal);

    /// @notice The registry, collateral contract and forwarder the extension's code answers to (the
    /// asset refuses at construction an extension wired to others).
    function wiring() external view returns (IPlatformRegistry, ICollateralAttestations, address forwarder);

    /// @notice The EIP-712 digest an issuer signs to consent to `params` run by `operator`.
    function consentDigest(IssuanceParams calldata params, address operator, uint256 nonce, uint64 deadline)
        external
        view
        returns (bytes32);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {HandlerBase} from "./HandlerBase.sol";
import {InvariantBase} from "./InvariantBase.t.sol";

/// @notice Wallet recovery (R7): a lost wallet never receives again, its units move only to its
/// replacement and, once moved, leave nothing behind, and the chain of replacements only goes
/// forward. The supply it conserves and the restrictions it carries are checked with every
/// holder's in Invariants.t.sol.
contract RecoveryInvariantsTest is InvariantBase {
    /// @dev A lost wallet holds at most what it held when lost, on the chain's own record; of the
    /// ids whose holdings were recovered it holds nothing, no unit encumbered, escrowed or frozen
    /// (but a frozen amount compliance set on it since, with ERC-7943's setFrozenTokens); and the
    /// registry keeps it deregistered, recovered to the wallet the model says.
    function invariant_LostWalletsNeverReceive() public view {
        address[] memory lost = handler.lostWallets();
        uint256 count = handler.issuanceCount();
        for (uint256 i; i < lost.length; ++i) {
            address wallet = lost[i];
            assertEq(registry.recoveredTo(wallet), handler.recoveredTo(wallet), "recoveredTo != model");
            if (registry.participantStatus(wallet) != IPlatformRegistry.ParticipantStatus.NotRegistered) {
                fail("a lost wallet registered again", 0, wallet);
            }
            for (uint256 id = 1; id <= count + 1; ++id) {
                uint256 balance = asset.balanceOf(wallet, id);
                if (balance > handler.balanceWhenLost(id, wallet)) fail("a lost wallet received", id, wallet);
                if (!handler.holdingsRecovered(id, wallet)) continue;
                if (balance != 0) fail("units left behind by a recovery", id, wallet);
                uint256 frozen = handler.frozenAfterLoss(id, wallet) ? 0 : asset.frozenUnits(id, wallet);
                if (asset.encumberedUnits(id, wallet) + asset.escrowedUnits(id, wallet) + frozen != 0) {
                    fail("restrictions left behind by a recovery", id, wallet);
                }
            }
        }
    }

    /// @dev No active encumbrance is held by a lost wallet whose holdings of its issuance were
    /// recovered: it followed them. Every encumbrance's holder and beneficiary are the model's (a
    /// recovery changes the holder, never the beneficiary).
    function invariant_NoEncumbranceLeftWithARecoveredWallet() public view {
        uint256 n = handler.encumbranceModelCount();
        assertEq(asset.encumbranceCount(), n, "encumbrance count != model");
        for (uint256 i; i < n; ++i) {
            HandlerBase.EncumbranceModel memory m = handler.encumbranceModel(i);
            ISecuredAssetTypes.Encumbrance memory e = asset.encumbrance(m.encumbranceId);
            if (e.holder != m.holder) fail("encumbrance holder != model", m.issuanceId, e.holder);
            if (e.beneficiary != m.beneficiary) fail("encumbrance beneficiary != model", m.issuanceId, e.beneficiary);
            if (e.active != m.active) fail("encumbrance state != model", m.issuanceId, e.holder);
            if (e.active && handler.holdingsRecovered(e.issuanceId, e.holder)) {
                fail("an encumbrance held by a wallet recovered from", e.issuanceId, e.holder);
            }
        }
    }

    /// @dev `recoveredTo` only goes forward: from any wallet, the chain of replacements never
    /// comes back to a wallet already on it, and ends at a registered wallet; only the model's
    /// lost wallets have one.
    function invariant_RecoveryNeverLoops() public view {
        address[] memory holders = handler.holders();
        for (uint256 i; i < holders.length; ++i) {
            address next = registry.recoveredTo(holders[i]);
            if (next != handler.recoveredTo(holders[i])) fail("recoveredTo != model", 0, holders[i]);
            if (next == address(0)) continue;
            address[] memory chain = new address[](holders.length + 1);
            chain[0] = holders[i];
            uint256 length = 1;
            address last;
            while (next != address(0)) {
                for (uint256 k; k < length; ++k) {
                    if (chain[k] == next) fail("recoveredTo comes back to a wallet on its chain", 0, next);
                }
                // Every replacement is a holder, so a chain longer than the holders has looped.
                if (length == chain.length) fail("recoveredTo chain longer than the holders", 0, holders[i]);
                chain[length++] = next;
                last = next;
                next = registry.recoveredTo(next);
            }
            if (!registry.participant(last).registered) fail("recovered to a wallet not registered", 0, last);
        }
        assertNoViolation(HandlerBase.Violation.WronglyRefused);
    }
}

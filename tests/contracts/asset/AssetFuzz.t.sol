// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Fuzzed amounts, ids, batches (repeated ids included) and freeze/lock sizes: balances are
/// conserved, supply stays within collateral, and no locked or frozen unit ever moves except by
/// the enforcement or regulator order that is allowed to take it.
contract AssetFuzzTest is Base {
    uint256 internal constant IDS = 3;
    uint256[IDS] internal ids;

    function setUp() public override {
        super.setUp();
        ids[0] = issuanceId;
        for (uint256 k = 1; k < IDS; ++k) {
            ids[k] = createIssuance();
            attest(ids[k], COVERED);
            vm.startPrank(operator);
            asset.mint(ids[k], alice, MINTED);
            asset.mint(ids[k], bob, MINTED);
            vm.stopPrank();
        }
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Locks `locked` and freezes `frozen` of alice's units of `id` (either may be zero).
    function restrict(uint256 id, uint256 locked, uint256 frozen) internal {
        if (locked != 0) {
            vm.prank(alice);
            asset.encumber(id, locked, bob, keccak256("pledge"), 0);
        }
        if (frozen != 0) {
            vm.prank(compliance);
            asset.freezeUnits(id, alice, frozen, keccak256("reason"));
        }
    }

    function restricted(uint256 id, address holder, uint256 balanceAfter, uint256 locked, uint256 frozen)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, id, holder, balanceAfter, locked, frozen, 0
        );
    }

    /// @dev Every holder keeps at least its locked and frozen units, for every id.
    function assertRestrictedUnitsHeld() internal view {
        address[2] memory holders = [alice, bob];
        for (uint256 k; k < IDS; ++k) {
            for (uint256 h; h < 2; ++h) {
                uint256 balance = asset.balanceOf(holders[h], ids[k]);
                uint256 held = asset.encumberedUnits(ids[k], holders[h]) + asset.frozenUnits(ids[k], holders[h]);
                assertGe(balance, held, "restricted units left the holder");
            }
        }
    }

    /// @dev alice and bob are the only holders, beside the asset's custody of units whose
    /// redemption is pending: their balances add up to the supply of every id.
    function assertConserved(uint256 burnt) internal view {
        uint256 total;
        for (uint256 k; k < IDS; ++k) {
            uint256 sum =
                asset.balanceOf(alice, ids[k]) + asset.balanceOf(bob, ids[k]) + asset.balanceOf(address(asset), ids[k]);
            assertEq(sum, asset.totalSupply(ids[k]), "balances != supply");
            total += sum;
        }
        assertEq(total + burnt, IDS * 2 * MINTED, "units created or lost");
    }

    /// @dev The encumbered total of each holder equals the sum of its active encumbrance records.
    function assertEncumbranceRecordsAgree() internal view {
        uint256 count = asset.encumbranceCount();
        for (uint256 k; k < IDS; ++k) {
            uint256 aliceSum;
            uint256 bobSum;
            for (uint256 e = 1; e <= count; ++e) {
                ISecuredAssetTypes.Encumbrance memory rec = asset.encumbrance(e);
                if (!rec.active || rec.issuanceId != ids[k]) continue;
                if (rec.holder == alice) aliceSum += rec.amount;
                else bobSum += rec.amount;
            }
            assertEq(asset.encumberedUnits(ids[k], alice), aliceSum, "alice's records");
            assertEq(asset.encumberedUnits(ids[k], bob), bobSum, "bob's records");
        }
    }

    /*//////////////////////////////////////////////////////////////
                             SINGLE TRANSFERS
    //////////////////////////////////////////////////////////////*/

    function testFuzz_Transfer(uint256 amount, uint256 idSeed) public {
        amount = bound(amount, 0, 2 * MINTED);
        uint256 id = ids[idSeed % IDS];
        bool fits = amount <= MINTED;
        assertEq(
            uint256(asset.checkTransfer(alice, bob, id, amount)),
            uint256(fits ? ISecuredAssetTypes.Refusal.None : ISecuredAssetTypes.Refusal.InsufficientBalance),
            "checkTransfer"
        );
        vm.prank(alice);
        if (!fits) {
            vm.expectRevert(
                abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, alice, MINTED, amount, id)
            );
        }
        asset.safeTransferFrom(alice, bob, id, amount, "");
        uint256 moved = fits ? amount : 0;
        assertEq(asset.balanceOf(alice, id), MINTED - moved, "alice");
        assertEq(asset.balanceOf(bob, id), MINTED + moved, "bob");
        assertConserved(0);
    }

    function testFuzz_TransferNeverMovesLockedOrFrozen(uint256 locked, uint256 frozen, uint256 amount) public {
        locked = bound(locked, 0, MINTED);
        frozen = bound(frozen, 0, MINTED - locked);
        amount = bound(amount, 0, MINTED);
        restrict(issuanceId, locked, frozen);
        bool fits = amount <= MINTED - locked - frozen;

        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, amount)),
            uint256(fits ? ISecuredAssetTypes.Refusal.None : ISecuredAssetTypes.Refusal.UnitsRestricted),
            "checkTransfer agrees"
        );
        vm.prank(alice);
        if (!fits) vm.expectRevert(restricted(issuanceId, alice, MINTED - amount, locked, frozen));
        asset.safeTransferFrom(alice, bob, issuanceId, amount, "");

        assertEq(asset.balanceOf(alice, issuanceId), fits ? MINTED - amount : MINTED, "alice");
        assertEq(asset.encumberedUnits(issuanceId, alice), locked, "lock unchanged");
        assertEq(asset.frozenUnits(issuanceId, alice), frozen, "freeze unchanged");
        assertRestrictedUnitsHeld();
        assertConserved(0);
    }

    /*//////////////////////////////////////////////////////////////
                                 BATCHES
    //////////////////////////////////////////////////////////////*/

    function testFuzz_BatchWithRepeatedIds(
        uint256 lengthSeed,
        uint256[8] memory picks,
        uint256[8] memory amounts,
        uint256[IDS] memory locks,
        uint256[IDS] memory freezes
    ) public {
        uint256 length = bound(lengthSeed, 1, 8);
        for (uint256 k; k < IDS; ++k) {
            locks[k] = bound(locks[k], 0, MINTED);
            freezes[k] = bound(freezes[k], 0, MINTED - locks[k]);
            restrict(ids[k], locks[k], freezes[k]);
        }
        uint256[] memory batchIds = new uint256[](length);
        uint256[] memory batchAmounts = new uint256[](length);
        uint256[] memory slot = new uint256[](length);
        for (uint256 i; i < length; ++i) {
            slot[i] = picks[i] % IDS;
            batchIds[i] = ids[slot[i]];
            batchAmounts[i] = bound(amounts[i], 0, 700);
        }

        // What the contract must do: item by item, a shortfall on the running balance reverts at
        // once, and so does a running balance below the item's pledged and frozen units.
        uint256[IDS] memory running = [MINTED, MINTED, MINTED];
        bytes memory expected;
        for (uint256 i; i < length && expected.length == 0; ++i) {
            uint256 k = slot[i];
            if (running[k] < batchAmounts[i]) {
                expected = abi.encodeWithSelector(
                    IERC1155Errors.ERC1155InsufficientBalance.selector, alice, running[k], batchAmounts[i], ids[k]
                );
            } else {
                running[k] -= batchAmounts[i];
                if (running[k] < locks[k] + freezes[k]) {
                    expected = restricted(ids[k], alice, running[k], locks[k], freezes[k]);
                }
            }
        }

        vm.prank(alice);
        if (expected.length != 0) vm.expectRevert(expected);
        asset.safeBatchTransferFrom(alice, bob, batchIds, batchAmounts, "");

        for (uint256 k; k < IDS; ++k) {
            uint256 aliceAfter = expected.length == 0 ? running[k] : MINTED;
            assertEq(asset.balanceOf(alice, ids[k]), aliceAfter, "alice");
            assertEq(asset.balanceOf(bob, ids[k]), 2 * MINTED - aliceAfter, "bob");
            assertEq(asset.encumberedUnits(ids[k], alice), locks[k], "lock unchanged");
            assertEq(asset.frozenUnits(ids[k], alice), freezes[k], "freeze unchanged");
        }
        assertRestrictedUnitsHeld();
        assertConserved(0);
    }

    function testFuzz_BatchRepeatingOneIdIsJudgedOnItsTotal(uint256 frozen, uint256 first, uint256 second) public {
        frozen = bound(frozen, 1, MINTED);
        uint256 available = MINTED - frozen;
        // Each item alone fits; together they may not.
        first = bound(first, 0, available);
        second = bound(second, 0, available);
        restrict(issuanceId, 0, frozen);
        uint256[] memory batchIds = new uint256[](2);
        batchIds[0] = issuanceId;
        batchIds[1] = issuanceId;
        uint256[] memory batchAmounts = new uint256[](2);
        batchAmounts[0] = first;
        batchAmounts[1] = second;

        bool fits = first + second <= available;
        vm.prank(alice);
        if (first + second > MINTED) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IERC1155Errors.ERC1155InsufficientBalance.selector, alice, MINTED - first, second, issuanceId
                )
            );
        } else if (!fits) {
            vm.expectRevert(restricted(issuanceId, alice, MINTED - first - second, 0, frozen));
        }
        asset.safeBatchTransferFrom(alice, bob, batchIds, batchAmounts, "");
        assertEq(asset.balanceOf(alice, issuanceId), fits ? MINTED - first - second : MINTED, "alice");
        assertGe(asset.balanceOf(alice, issuanceId), frozen, "frozen units stayed");
    }

    /*//////////////////////////////////////////////////////////////
                           ORDERS AND REDEMPTION
    //////////////////////////////////////////////////////////////*/

    function testFuzz_ForcedTransferNeverTakesEncumbered(uint256 locked, uint256 frozen, uint256 amount) public {
        locked = bound(locked, 0, MINTED);
        frozen = bound(frozen, 0, MINTED - locked);
        amount = bound(amount, 0, MINTED);
        restrict(issuanceId, locked, frozen);
        uint256 movable = MINTED - locked;

        vm.prank(regulator);
        if (amount == 0) {
            vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ZeroAmount.selector));
        } else if (amount > movable) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, amount, movable
                )
            );
        } else {
            uint256 stillFrozen = frozen < movable - amount ? frozen : movable - amount;
            vm.expectEmit(address(asset));
            emit ISecuredAssetTypes.TransferOrdered(
                issuanceId, alice, bob, amount, frozen - stillFrozen, keccak256("order"), regulator
            );
        }
        asset.forcedTransfer(issuanceId, alice, bob, amount, keccak256("order"));

        bool moved = amount != 0 && amount <= movable;
        uint256 balance = moved ? MINTED - amount : MINTED;
        assertEq(asset.balanceOf(alice, issuanceId), balance, "alice");
        assertEq(asset.encumberedUnits(issuanceId, alice), locked, "encumbered units never taken");
        // What stays frozen is all of the freeze that still fits beside the lock.
        uint256 expectedFrozen = frozen < balance - locked ? frozen : balance - locked;
        assertEq(asset.frozenUnits(issuanceId, alice), expectedFrozen, "frozen units released just enough");
        assertRestrictedUnitsHeld();
        assertConserved(0);
    }

    function testFuzz_RedeemNeverBurnsRestricted(uint256 locked, uint256 frozen, uint256 amount) public {
        locked = bound(locked, 0, MINTED);
        frozen = bound(frozen, 0, MINTED - locked);
        amount = bound(amount, 1, MINTED);
        restrict(issuanceId, locked, frozen);
        bool fits = amount <= MINTED - locked - frozen;

        if (fits) {
            redeem(issuanceId, alice, amount, keccak256("delivery"));
        } else {
            vm.expectRevert(restricted(issuanceId, alice, MINTED - amount, locked, frozen));
            vm.prank(alice);
            asset.requestRedemption(issuanceId, alice, amount, keccak256("delivery"));
        }

        uint256 burnt = fits ? amount : 0;
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - burnt, "alice");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - burnt, "supply");
        assertRestrictedUnitsHeld();
        assertConserved(burnt);
    }

    function testFuzz_EnforceMovesExactlyThePledge(uint256 first, uint256 second, uint256 frozen) public {
        first = bound(first, 1, MINTED - 1);
        second = bound(second, 1, MINTED - first);
        frozen = bound(frozen, 0, MINTED - first - second);
        vm.startPrank(alice);
        uint256 enforced = asset.encumber(issuanceId, first, bob, keccak256("first"), 0);
        asset.encumber(issuanceId, second, bob, keccak256("second"), 0);
        vm.stopPrank();
        restrict(issuanceId, 0, frozen);

        vm.prank(operator);
        asset.enforce(enforced, keccak256("default"));

        assertEq(asset.balanceOf(alice, issuanceId), MINTED - first, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + first, "bob");
        assertEq(asset.encumberedUnits(issuanceId, alice), second, "other pledge still locked");
        assertEq(asset.frozenUnits(issuanceId, alice), frozen, "freeze untouched");
        assertRestrictedUnitsHeld();
        assertEncumbranceRecordsAgree();
        assertConserved(0);
    }

    function testFuzz_FreezeAndUnfreeze(uint256 frozen, uint256 unfrozen) public {
        frozen = bound(frozen, 1, MINTED);
        unfrozen = bound(unfrozen, 1, MINTED);
        restrict(issuanceId, 0, frozen);
        vm.prank(compliance);
        if (unfrozen > frozen) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ISecuredAssetTypes.SecuredAsset_UnfreezeExceedsFrozen.selector, issuanceId, alice, unfrozen, frozen
                )
            );
        }
        asset.unfreezeUnits(issuanceId, alice, unfrozen, keccak256("cleared"));
        uint256 left = unfrozen > frozen ? frozen : frozen - unfrozen;
        assertEq(asset.frozenUnits(issuanceId, alice), left, "frozen");
        assertEq(asset.availableUnits(issuanceId, alice), MINTED - left, "available");
    }

    /*//////////////////////////////////////////////////////////////
                                  MINT
    //////////////////////////////////////////////////////////////*/

    function testFuzz_MintBoundedByCollateral(uint256 cover, uint256 first, uint256 second) public {
        cover = bound(cover, 1, 50_000);
        first = bound(first, 1, 60_000);
        second = bound(second, 1, 60_000);
        uint256 id = createIssuance();
        attest(id, cover);

        uint256 supply;
        uint256[2] memory amounts = [first, second];
        for (uint256 i; i < 2; ++i) {
            uint256 after_ = supply + amounts[i];
            vm.prank(operator);
            if (after_ > cover) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, id, cover, after_
                    )
                );
            } else {
                supply = after_;
            }
            asset.mint(id, i == 0 ? alice : bob, amounts[i]);
            assertEq(asset.totalSupply(id), supply, "supply");
            assertLe(asset.totalSupply(id), collateral.coveredUnits(address(asset), id, issuer), "over collateral");
        }
    }

    /*//////////////////////////////////////////////////////////////
                           RANDOM SEQUENCES
    //////////////////////////////////////////////////////////////*/

    /// @dev Twelve random actions by the holders, the operator, the compliance officer and the
    /// regulator; after each one, whether it passed or not, every restricted unit is still held,
    /// the encumbrance records add up and no unit appeared or vanished except by redemption.
    function testFuzz_RandomSequenceKeepsRestrictedUnitsInPlace(uint256[12] memory actions) public {
        uint256 burnt;
        for (uint256 step; step < actions.length; ++step) {
            uint256 seed = actions[step];
            uint256 id = ids[(seed >> 8) % IDS];
            bool fromAlice = (seed >> 16) % 2 == 0;
            address holder = fromAlice ? alice : bob;
            address other = fromAlice ? bob : alice;
            uint256 amount = bound(seed >> 32, 0, 800);
            uint256 kind = seed % 9;

            if (kind == 0) {
                vm.prank(holder);
                try asset.safeTransferFrom(holder, other, id, amount, "") {} catch {}
            } else if (kind == 1) {
                uint256[] memory batchIds = new uint256[](3);
                uint256[] memory batchAmounts = new uint256[](3);
                batchIds[0] = id;
                batchIds[1] = ids[(seed >> 24) % IDS];
                batchIds[2] = id;
                batchAmounts[0] = amount / 2;
                batchAmounts[1] = amount / 3;
                batchAmounts[2] = amount / 2;
                vm.prank(holder);
                try asset.safeBatchTransferFrom(holder, other, batchIds, batchAmounts, "") {} catch {}
            } else if (kind == 2) {
                vm.prank(holder);
                try asset.encumber(id, amount, other, keccak256("pledge"), 0) {} catch {}
            } else if (kind == 3 || kind == 4) {
                uint256 count = asset.encumbranceCount();
                if (count == 0) continue;
                uint256 encumbranceId = 1 + (seed >> 40) % count;
                ISecuredAssetTypes.Encumbrance memory e = asset.encumbrance(encumbranceId);
                vm.prank(kind == 3 ? e.beneficiary : operator);
                if (kind == 3) {
                    try asset.release(encumbranceId) {} catch {}
                } else {
                    try asset.enforce(encumbranceId, keccak256("default")) {} catch {}
                }
            } else if (kind == 5) {
                vm.prank(compliance);
                try asset.freezeUnits(id, holder, amount, keccak256("reason")) {} catch {}
            } else if (kind == 6) {
                vm.prank(compliance);
                try asset.unfreezeUnits(id, holder, amount, keccak256("reason")) {} catch {}
            } else if (kind == 7) {
                vm.prank(regulator);
                try asset.forcedTransfer(id, holder, other, amount, keccak256("order")) {} catch {}
            } else {
                // A redemption request, left pending (units in custody), confirmed or refused.
                vm.prank(holder);
                try asset.requestRedemption(id, holder, amount, keccak256("delivery")) returns (uint256 requestId) {
                    uint256 outcome = (seed >> 48) % 3;
                    if (outcome == 1) {
                        confirmRedemption(requestId);
                        burnt += amount;
                    } else if (outcome == 2) {
                        vm.prank(issuer);
                        asset.refuseRedemption(requestId, keccak256("refused"));
                    }
                } catch {}
            }

            assertRestrictedUnitsHeld();
            assertEncumbranceRecordsAgree();
            assertConserved(burnt);
        }
    }
}

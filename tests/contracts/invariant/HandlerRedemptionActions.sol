// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerInputs} from "./HandlerInputs.sol";

/// @notice The handlers of redemption's two sides (Rules item 2.3): a holder, or its approved
/// operator, asks the issuer to redeem units, which move into the asset's custody; the issuer
/// confirms (they are burnt) or refuses (they go back to the holder's wallet now), or the
/// regulator refuses by order. Requests stay pending across other calls, so the custody the
/// invariants check holds several at once (see {Handler}).
abstract contract HandlerRedemptionActions is HandlerInputs {
    /// @notice Open while under-collateralised too, and while the operator's permit is not in force
    /// (one time in three such an issuance is looked for): a refusal for the permit or the coverage
    /// alone is flagged.
    function requestRedemption(uint256 idSeed, uint256 holderSeed, uint256 spenderSeed, uint256 amountSeed)
        external
        step
    {
        uint256 id = _issuanceId(idSeed, (idSeed >> 20) % 3 == 0 ? Want.PermitLapsed : Want.Held);
        address holder = _sender(id, holderSeed);
        address spender = spenderSeed % 3 == 0 ? _spender(holder, spenderSeed / 3) : holder;
        uint256 available = _available(id, holder);
        uint256 amount = _amount(amountSeed, available);
        vm.prank(spender);
        try asset.requestRedemption(id, holder, amount, keccak256("fulfilment")) returns (uint256 requestId) {
            if (spender != holder && !_approved[holder][spender]) {
                _flag(Violation.Unauthorised, "redemption requested by an unapproved operator");
            }
            if (amount > available) _flag(Violation.RuleBroken, _say("redemption of restricted units", id));
            if (requestId != _redemptions.length + 1) _flag(Violation.RuleBroken, "redemption request id");
            _moved(Route.Redemption, spender, id, holder, address(asset), amount);
            _redemptions.push(RedemptionModel(requestId, id, holder, amount, true));
            ++redemptionsRequested;
        } catch (bytes memory reason) {
            bytes4 selector = bytes4(reason);
            if (
                selector == ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector
                    || selector == ISecuredAssetTypes.SecuredAsset_Undercollateralised.selector
            ) _flag(Violation.WronglyRefused, _say("redemption refused for the permit or the coverage", id));
        }
    }

    /// @notice Mostly the issuer confirms a pending request; sometimes the regulator, a stranger
    /// or a request no longer pending: only the issuer's confirmation of a pending one passes.
    function confirmRedemption(uint256 indexSeed, uint256 callerSeed) external step {
        if (_redemptions.length == 0) return;
        RedemptionModel storage r = _redemptions[_redemptionIndex(indexSeed)];
        address issuer = _issuances[r.issuanceId].issuer;
        uint256 who = callerSeed % 6;
        address caller = who < 4 ? issuer : who == 4 ? _regulator : _actor(callerSeed / 6);
        bool pending = r.pending;
        // A suspended or removed issuer's key burns nobody's units.
        bool issuerActive = _issuerStatus[issuer] == IPlatformRegistry.IssuerStatus.Active;
        vm.prank(caller);
        try asset.confirmRedemption(r.requestId, keccak256("delivered")) {
            if (caller != issuer) _flag(Violation.Unauthorised, "confirmRedemption by another than the issuer");
            if (!pending) _flag(Violation.RuleBroken, "confirmRedemption of a request not pending");
            if (!issuerActive) _flag(Violation.RuleBroken, "confirmRedemption by an issuer not active");
            r.pending = false;
            IssuanceModel storage iss = _issuances[r.issuanceId];
            ghostCustody[r.issuanceId] -= _min(r.amount, ghostCustody[r.issuanceId]);
            iss.supply -= _min(r.amount, iss.supply);
            ++redemptionsConfirmed;
        } catch {
            // Whatever the pause, permit, coverage or the holder's state: delivery was made.
            if (caller == issuer && pending && issuerActive) {
                _flag(Violation.WronglyRefused, "the issuer's confirmation refused");
            }
        }
    }

    /// @notice The issuer or the regulator refuses a pending request; sometimes the supervisor
    /// (whose authority is the pause alone), a stranger, or a request no longer pending. The units
    /// go back to the end of the holder's recovery chain.
    function refuseRedemption(uint256 indexSeed, uint256 callerSeed) external step {
        if (_redemptions.length == 0) return;
        RedemptionModel storage r = _redemptions[_redemptionIndex(indexSeed)];
        address issuer = _issuances[r.issuanceId].issuer;
        uint256 who = callerSeed % 6;
        address caller =
            who < 3 ? issuer : who < 5 ? _regulator : (callerSeed / 6) % 2 == 0 ? _supervisor : _actor(callerSeed / 12);
        bool pending = r.pending;
        vm.prank(caller);
        try asset.refuseRedemption(r.requestId, keccak256("not delivered")) {
            if (caller != issuer && caller != _regulator) {
                _flag(Violation.Unauthorised, "refuseRedemption by another than the issuer or the regulator");
            }
            if (!pending) _flag(Violation.RuleBroken, "refuseRedemption of a request not pending");
            r.pending = false;
            ghostCustody[r.issuanceId] -= _min(r.amount, ghostCustody[r.issuanceId]);
            ghostBalance[r.issuanceId][_currentWallet(r.holder)] += r.amount;
            ++redemptionsRefused;
        } catch {
            if ((caller == issuer || caller == _regulator) && pending) {
                _flag(Violation.WronglyRefused, "a refusal by the issuer or the regulator refused");
            }
        }
    }

    /// @dev Mostly a pending request (searching from the seed), sometimes any.
    function _redemptionIndex(uint256 seed) internal view returns (uint256 index) {
        uint256 length = _redemptions.length;
        index = seed % length;
        if (seed % 4 == 0) return index;
        for (uint256 i; i < length; ++i) {
            uint256 j = (index + i) % length;
            if (_redemptions[j].pending) return j;
        }
    }
}

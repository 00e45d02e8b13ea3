// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerInputs} from "./HandlerInputs.sol";

/// @notice The handlers of the exchange and of ERC-7943's freeze: signed offers taken (swaps,
/// sales and purchases for the e-money token, some spoiled), cancelled nonces, escrows opened,
/// confirmed and lapsed, the agent's role and the token's listing changed, frozen amounts set
/// (sometimes beyond the balance). Each successful take is checked against `checkOffer` and
/// moves exactly its legs; each leg in units goes through the model's movement checks (see
/// {Handler}).
abstract contract HandlerExchangeActions is HandlerInputs {
    /// @dev What the chain held before a take, to check it moved exactly the legs.
    struct Before {
        uint256[] give;
        uint256[] want;
        uint256 giverMoney;
        uint256 takerMoney;
    }

    /// @dev How an offer is spoiled: 0 expired, 1 signed by the taker's key, 2 a nonce of the
    /// maker's small pool (maybe spent), 3 named for another taker, 4 a malleable (high-s)
    /// signature; 5 to 15 not at all.
    uint256 internal constant SPOILS = 16;
    /// @dev secp256k1's group order.
    uint256 private constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    /*//////////////////////////////////////////////////////////////
                                 OFFERS
    //////////////////////////////////////////////////////////////*/

    /// @notice A maker's offer taken. From `mix`, a hash of `shape` and `amountSeed` (so the
    /// fuzzer's favourite values do not all spoil the same way): `mix % 4` 0 or 3 a swap, 1 a sale
    /// for the e-money token, 2 a purchase with it; `(mix >> 8) % 16` its spoil; the payer
    /// approves the price four times in five (`(mix >> 16) % 5 != 0`); the amounts and price
    /// from `mix >> 64`.
    function takeOffer(uint256 makerSeed, uint256 takerSeed, uint256 idSeed, uint256 amountSeed, uint256 shape)
        external
        step
    {
        uint256 mix = offerMix(shape, amountSeed);
        uint256 kind = (mix % 4) % 3;
        uint256 spoil = (mix >> 8) % SPOILS;
        amountSeed = mix >> 64;
        (ISecuredExchange.Offer memory offer, address taker) = _offer(kind, makerSeed, takerSeed, idSeed, amountSeed);
        if (spoil == 0) offer.expiry = uint64(block.timestamp - 1);
        if (spoil == 2) offer.nonce = _poolNonce(amountSeed);
        if (spoil == 3) offer.taker = _actor(takerSeed + 1);
        if (kind != 0) {
            address payer = kind == 1 ? taker : offer.maker;
            uint256 price = kind == 1 ? offer.wantAmount : offer.giveAmount;
            vm.prank(payer);
            money.approve(address(exchange), (mix >> 16) % 5 == 0 ? price - 1 : price);
        }
        bytes memory signature = _offerSignature(offer, spoil == 1 ? _keys[taker] : _keys[offer.maker], spoil == 4);
        (ISecuredExchange.OfferRefusal refusal,) = exchange.checkOffer(offer, signature, taker);
        Before memory before = _before(offer, taker);
        bool spent = _nonceSpent[offer.maker][offer.nonce];
        vm.prank(taker);
        try exchange.take(offer, signature) {
            if (refusal != ISecuredExchange.OfferRefusal.None) {
                _flag(Violation.CheckOfferDisagrees, "taken although checkOffer refused");
            }
            if (spoil == 0 || spoil == 1 || (spoil == 3 && offer.taker != taker) || spoil == 4 || spent) {
                _flag(Violation.RuleBroken, "an expired, foreign-signed, spent, misdirected or malleable offer taken");
            }
            if (kind != 0 && !_moneyListed) _flag(Violation.RuleBroken, "paid in a token not listed");
            _nonceSpent[offer.maker][offer.nonce] = true;
            _took(offer, taker, before);
            if (kind == 0) ++swapsTaken;
            else if (kind == 1) ++salesTaken;
            else ++purchasesTaken;
        } catch {
            if (refusal == ISecuredExchange.OfferRefusal.None) {
                _flag(Violation.CheckOfferDisagrees, "refused although checkOffer passed");
            }
            if (spoil < 5) ++spoiledOffersRefused;
        }
    }

    /// @notice What {takeOffer} draws its kind, spoil, approval and amounts from.
    function offerMix(uint256 shape, uint256 amountSeed) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(shape, amountSeed)));
    }

    /// @notice A maker spends a nonce of its small pool (maybe spent already: refused).
    function cancelOffer(uint256 makerSeed, uint256 nonceSeed) external step {
        address maker = _actor(makerSeed);
        uint256 nonce = _poolNonce(nonceSeed);
        bool spent = _nonceSpent[maker][nonce];
        vm.prank(maker);
        try exchange.cancelOffer(nonce) {
            if (spent) _flag(Violation.RuleBroken, "a spent nonce cancelled");
            _nonceSpent[maker][nonce] = true;
        } catch {
            if (!spent) _flag(Violation.WronglyRefused, "an unspent nonce's cancellation refused");
        }
    }

    /// @dev The offer and its taker: units of a circulating issuance given by a wallet holding
    /// them (a swap's other side the taker's units of another), or the token given for them.
    function _offer(uint256 kind, uint256 makerSeed, uint256 takerSeed, uint256 idSeed, uint256 amountSeed)
        internal
        returns (ISecuredExchange.Offer memory offer, address taker)
    {
        uint256 unitsId = _issuanceId(idSeed, Want.Circulating);
        uint256 price = bound(amountSeed >> 96, 1, 10_000_00);
        offer.nonce = ++_freshNonce;
        offer.expiry = uint64(block.timestamp + 1 hours);
        if (kind == 2) {
            // A purchase: the maker pays, the taker gives units it holds.
            offer.maker = _pick(makerSeed, Want.CanReceive);
            taker = _sender(unitsId, takerSeed);
            if (taker == offer.maker) taker = _sender(unitsId, takerSeed + 1);
            (offer.giveToken, offer.giveAmount) = (address(money), price);
            (offer.wantToken, offer.wantId) = (address(asset), unitsId);
            offer.wantAmount = _amount(amountSeed, _available(unitsId, taker));
            return (offer, taker);
        }
        offer.maker = _sender(unitsId, makerSeed);
        (offer.giveToken, offer.giveId) = (address(asset), unitsId);
        offer.giveAmount = _amount(amountSeed, _available(unitsId, offer.maker));
        if (kind == 1) {
            taker = _pick(takerSeed, Want.CanReceive);
            if (taker == offer.maker) taker = _pick(takerSeed + 1, Want.CanReceive);
            (offer.wantToken, offer.wantAmount) = (address(money), price);
        } else {
            uint256 wantId = _otherIssuance(unitsId, idSeed >> 32);
            taker = _sender(wantId, takerSeed);
            if (taker == offer.maker) taker = _sender(wantId, takerSeed + 1);
            (offer.wantToken, offer.wantId) = (address(asset), wantId);
            offer.wantAmount = _amount(amountSeed >> 32, _available(wantId, taker));
        }
    }

    /// @dev Three times in four the first issuance from the seed's, other than `id`, that some
    /// eligible wallet holds; otherwise any.
    function _otherIssuance(uint256 id, uint256 seed) internal view returns (uint256) {
        uint256 start = _issuanceId(seed);
        if (seed % 4 == 3) return start;
        for (uint256 i; i < issuanceCount; ++i) {
            uint256 candidate = 1 + (start - 1 + i) % issuanceCount;
            if (candidate != id && _isIssuance(candidate, Want.Held)) return candidate;
        }
        return start;
    }

    /// @dev One of four nonces every maker shares, so cancellations and reuses meet.
    function _poolNonce(uint256 seed) internal pure returns (uint256) {
        return 1 + (seed >> 3) % 4;
    }

    function _offerSignature(ISecuredExchange.Offer memory offer, uint256 key, bool highS)
        internal
        view
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, exchange.offerHash(offer));
        if (highS) (s, v) = (bytes32(N - uint256(s)), v == 27 ? 28 : 27);
        return abi.encodePacked(r, s, v);
    }

    function _before(ISecuredExchange.Offer memory offer, address taker) internal view returns (Before memory b) {
        bool giveUnits = offer.giveToken == address(asset);
        bool wantUnits = offer.wantToken == address(asset);
        if (giveUnits) b.give = _chainBalances(offer.giveId);
        if (wantUnits) b.want = _chainBalances(offer.wantId);
        if (!giveUnits) b.giverMoney = money.balanceOf(offer.maker);
        if (!wantUnits) b.takerMoney = money.balanceOf(taker);
    }

    /// @dev After a take: each leg in units moved from its payer to its payee by the model's
    /// rules, and the chain changed exactly those two holdings by the leg's amount; a payment leg
    /// moved exactly the price.
    function _took(ISecuredExchange.Offer memory offer, address taker, Before memory b) internal {
        if (!_eligible(offer.maker) || !_eligible(taker)) {
            _flag(Violation.IneligibleRecipient, "an exchange with an ineligible party");
        }
        if (offer.giveToken == address(asset)) {
            _checkLeg(offer.giveId, b.give, offer.maker, taker, offer.giveAmount);
            _moved(Route.Standard, offer.maker, offer.giveId, offer.maker, taker, offer.giveAmount);
        } else if (money.balanceOf(offer.maker) != b.giverMoney - offer.giveAmount) {
            _flag(Violation.ExchangeLegMismatch, "the maker paid other than the price");
        }
        if (offer.wantToken == address(asset)) {
            _checkLeg(offer.wantId, b.want, taker, offer.maker, offer.wantAmount);
            _moved(Route.Standard, taker, offer.wantId, taker, offer.maker, offer.wantAmount);
        } else if (money.balanceOf(taker) != b.takerMoney - offer.wantAmount) {
            _flag(Violation.ExchangeLegMismatch, "the taker paid other than the price");
        }
    }

    /*//////////////////////////////////////////////////////////////
                    DELIVERY AGAINST OFF-CHAIN PAYMENT
    //////////////////////////////////////////////////////////////*/

    /// @notice A seller holds units for a buyer until a deadline 10 minutes to a day ahead (the
    /// clock's warps pass it often); one time in six the agent named has no role.
    function openEscrow(uint256 idSeed, uint256 sellerSeed, uint256 buyerSeed, uint256 amountSeed, uint256 shape)
        external
        step
    {
        uint256 id = _issuanceId(idSeed, Want.Circulating);
        address seller = _sender(id, sellerSeed);
        address buyer = _pick(buyerSeed, Want.CanReceive);
        uint256 amount = _amount(amountSeed, _available(id, seller));
        address named = shape % 6 == 5 ? _actor(shape / 6) : _agent;
        uint64 deadline = uint64(block.timestamp + bound(shape >> 8, 10 minutes, 1 days));
        vm.prank(seller);
        try exchange.openEscrow(id, amount, buyer, named, amount * 100_00, "KZT", deadline) returns (uint256 escrowId) {
            if (named != _agent || !_agentRoleHeld) _flag(Violation.Unauthorised, "escrow with no settlement agent");
            if (_halted(id)) _flag(Violation.HaltedMovement, _say("escrow while halted", id));
            if (!_eligible(seller)) _flag(Violation.IneligibleSender, _say("escrow by an ineligible seller", id));
            if (!_eligible(buyer)) _flag(Violation.IneligibleRecipient, _say("escrow for an ineligible buyer", id));
            if (_undercollateralised(id) && buyer != _issuances[id].issuer) {
                _flag(Violation.MovedWhileUndercollateralised, _say("escrow while under-collateralised", id));
            }
            if (amount > _available(id, seller) || buyer == seller || escrowId != _escrowModels.length + 1) {
                _flag(Violation.RuleBroken, _say("escrow", id));
            }
            ghostEscrowed[id][seller] += amount;
            _escrowModels.push(EscrowModel(escrowId, id, seller, buyer, named, amount, deadline, true));
            ++escrowsOpened;
        } catch {}
    }

    /// @notice The escrow's agent confirms the payment (one time in five a stranger tries): the
    /// units go to the buyer's wallet now, exactly the escrow's amount. One time in three the
    /// agent is late: the clock first moves past the deadline (refused; the escrow will lapse).
    function confirmPayment(uint256 indexSeed, uint256 callerSeed) external step {
        if (_escrowModels.length == 0) return;
        EscrowModel storage e = _escrowModels[_escrowIndex(indexSeed)];
        if (indexSeed % 3 == 2 && currentTime <= e.deadline) {
            currentTime = e.deadline + 1;
            vm.warp(currentTime);
        }
        address caller = callerSeed % 5 == 4 ? _actor(callerSeed / 5) : e.agent;
        address to = _currentWallet(e.buyer);
        uint256[] memory before = _chainBalances(e.issuanceId);
        vm.prank(caller);
        try exchange.confirmPayment(e.escrowId, keccak256(abi.encode("payment", e.escrowId))) {
            if (caller != _agent || !_agentRoleHeld) _flag(Violation.Unauthorised, "payment confirmed by no agent");
            if (!e.open || block.timestamp > e.deadline) _flag(Violation.RuleBroken, "a closed escrow confirmed");
            e.open = false;
            ghostEscrowed[e.issuanceId][e.seller] -= _min(e.amount, ghostEscrowed[e.issuanceId][e.seller]);
            _checkLeg(e.issuanceId, before, e.seller, to, e.amount);
            _moved(Route.Settlement, e.seller, e.issuanceId, e.seller, to, e.amount);
            ++escrowsSettled;
        } catch {}
    }

    /// @notice Anyone lapses an escrow: only an open one past its deadline or whose agent lost its
    /// role, which never fails. One time in three the clock first moves just past the deadline.
    function lapseEscrow(uint256 indexSeed, uint256 callerSeed) external step {
        if (_escrowModels.length == 0) return;
        EscrowModel storage e = _escrowModels[_escrowIndex(indexSeed)];
        if (callerSeed % 3 == 2 && currentTime <= e.deadline) {
            currentTime = e.deadline + 1;
            vm.warp(currentTime);
        }
        bool due = e.open && (block.timestamp > e.deadline || !_agentRoleHeld);
        uint256[] memory before = _chainBalances(e.issuanceId);
        vm.prank(_actor(callerSeed));
        try exchange.lapse(e.escrowId) {
            if (!due) _flag(Violation.RuleBroken, "an escrow lapsed early or twice");
            e.open = false;
            ghostEscrowed[e.issuanceId][e.seller] -= _min(e.amount, ghostEscrowed[e.issuanceId][e.seller]);
            _checkLeg(e.issuanceId, before, e.seller, e.seller, 0);
            ++escrowsLapsed;
        } catch {
            if (due) _flag(Violation.WronglyRefused, "an expired escrow's lapse refused");
        }
    }

    /// @notice The regulator ends an escrow by order (one time in five someone else tries): only
    /// an open one; the units are the seller's again.
    function cancelEscrow(uint256 indexSeed, uint256 callerSeed) external step {
        if (_escrowModels.length == 0) return;
        EscrowModel storage e = _escrowModels[_escrowIndex(indexSeed)];
        address caller = _caller(callerSeed, _regulator);
        uint256[] memory before = _chainBalances(e.issuanceId);
        vm.prank(caller);
        try exchange.cancelEscrow(e.escrowId, keccak256("order")) {
            _requireRegulator(caller, "cancelEscrow");
            if (!e.open) _flag(Violation.RuleBroken, "a closed escrow cancelled");
            e.open = false;
            ghostEscrowed[e.issuanceId][e.seller] -= _min(e.amount, ghostEscrowed[e.issuanceId][e.seller]);
            _checkLeg(e.issuanceId, before, e.seller, e.seller, 0);
            ++escrowsCancelled;
        } catch {
            if (e.open && caller == _regulator) {
                _flag(Violation.WronglyRefused, "the regulator's cancellation refused");
            }
        }
    }

    /// @notice Sometimes the regulator withdraws the agent's role or gives it back (one time in
    /// five someone else tries).
    function setAgentRole(uint256 seed) external step {
        if (!_sometimes(seed, 3)) return;
        address caller = _caller(seed >> 8, _regulator);
        bytes32 role = registry.SETTLEMENT_AGENT_ROLE();
        vm.prank(caller);
        if (_agentRoleHeld) {
            try registry.revokeRole(role, _agent) {
                _requireRegulator(caller, "revoke SETTLEMENT_AGENT_ROLE");
                _agentRoleHeld = false;
            } catch {}
        } else {
            try registry.grantRole(role, _agent) {
                _requireRegulator(caller, "grant SETTLEMENT_AGENT_ROLE");
                _agentRoleHeld = true;
            } catch {}
        }
    }

    /// @notice Sometimes the regulator delists the e-money token or lists it again.
    function setPaymentTokenListed(uint256 seed) external step {
        if (!_sometimes(seed, 3)) return;
        address caller = _caller(seed >> 8, _regulator);
        vm.prank(caller);
        if (_moneyListed) {
            try exchange.delistPaymentToken(address(money)) {
                _requireRegulator(caller, "delistPaymentToken");
                _moneyListed = false;
            } catch {}
        } else {
            try exchange.listPaymentToken(address(money), "KZT") {
                _requireRegulator(caller, "listPaymentToken");
                _moneyListed = true;
            } catch {}
        }
    }

    /// @dev Mostly an open escrow (searching from the seed), sometimes any.
    function _escrowIndex(uint256 seed) internal view returns (uint256 index) {
        uint256 length = _escrowModels.length;
        index = seed % length;
        if (seed % 4 == 0) return index;
        for (uint256 i; i < length; ++i) {
            uint256 j = (index + i) % length;
            if (_escrowModels[j].open) return j;
        }
    }

    /*//////////////////////////////////////////////////////////////
                        ERC-7943: FROZEN AMOUNTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Compliance sets a holding's frozen amount (one time in five someone else tries):
    /// mostly within what its balance leaves free of pledges and escrows, one time in four
    /// beyond the balance, withholding units received later.
    function setFrozenTokens(uint256 idSeed, uint256 holderSeed, uint256 amountSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed);
        address holder = _actor(holderSeed);
        uint256 balance = ghostBalance[id][holder];
        uint256 claimed = ghostEncumbered[id][holder] + ghostEscrowed[id][holder];
        uint256 free = balance > claimed ? balance - claimed : 0;
        uint256 amount =
            amountSeed % 4 == 0 ? bound(amountSeed >> 2, balance + 1, balance + 500) : bound(amountSeed >> 2, 0, free);
        address caller = _caller(callerSeed, _compliance);
        vm.prank(caller);
        try asset.setFrozenTokens(holder, id, amount) returns (bool result) {
            if (caller != _compliance) _flag(Violation.Unauthorised, "setFrozenTokens");
            if (!result || _issuances[id].operator == address(0)) _flag(Violation.RuleBroken, "setFrozenTokens");
            ghostFrozen[id][holder] = amount;
            if (_recoveredTo[holder] != address(0)) frozenAfterLoss[id][holder] = true;
            ++frozenAmountsSet;
            if (claimed + amount > balance) {
                overFrozen[id][holder] = true;
                ++overFreezes;
            }
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev The holders' balances of `id` on the chain, in the holders' order.
    function _chainBalances(uint256 id) internal view returns (uint256[] memory balances) {
        balances = new uint256[](_holders.length);
        for (uint256 i; i < balances.length; ++i) {
            balances[i] = asset.balanceOf(_holders[i], id);
        }
    }

    /// @dev A leg of `amount` units of `id` from `from` to `to` changed exactly those two holdings.
    function _checkLeg(uint256 id, uint256[] memory before, address from, address to, uint256 amount) internal {
        for (uint256 i; i < before.length; ++i) {
            address h = _holders[i];
            uint256 expected = before[i];
            if (h == from) expected -= _min(amount, expected);
            if (h == to) expected += amount;
            if (asset.balanceOf(h, id) != expected) {
                _flag(Violation.ExchangeLegMismatch, _say("a leg changed a holding otherwise than by its amount", id));
            }
        }
    }
}

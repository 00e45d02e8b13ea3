// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {RegisterListBase} from "./RegisterListBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The register's pages, fuzzed through `issuers(start, limit)` (every list shares one
/// paging rule) against a page computed here from the issuers as registered: up to `limit`
/// entries from `start`, none past the end, for any start and limit up to the largest.
contract RegisterPagingFuzzTest is RegisterListBase {
    /// @dev Issuers registered beyond the fixture's, at most.
    uint256 internal constant MAX_EXTRA = 12;

    /// @dev The fixture's issuer, then `n` more, in order of registration.
    function registerIssuers(uint256 n) internal returns (address[] memory all) {
        all = new address[](n + 1);
        all[0] = issuer;
        for (uint256 i = 1; i <= n; ++i) {
            all[i] = registerIssuerNamed(string.concat("Issuer ", vm.toString(i), " LLP"));
        }
    }

    /// @dev The reference page, entry by entry: no arithmetic on `start + limit` to overflow.
    function expectedPage(address[] memory all, uint256 start, uint256 limit)
        internal
        pure
        returns (address[] memory page)
    {
        uint256 n;
        for (uint256 i = start; i < all.length && n < limit; ++i) {
            ++n;
        }
        page = new address[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = all[start + i];
        }
    }

    /// @dev Seven times in eight `start` and `limit` fall around the list; otherwise they are
    /// whatever the fuzzer gave, up to the largest values.
    function testFuzz_IssuersPageMatchesReference(uint256 extra, uint256 start, uint256 limit) public {
        address[] memory all = registerIssuers(bound(extra, 0, MAX_EXTRA));
        if (start % 8 != 0) start = bound(start, 0, all.length + 2);
        if (limit % 8 != 0) limit = bound(limit, 0, all.length + 2);
        assertEq(registry.issuerCount(), all.length, "issuerCount");
        assertPage(registry.issuers(start, limit), expectedPage(all, start, limit), "page");
    }

    /// @dev Walking the pages of any size from the start gives every issuer once, in order.
    function testFuzz_IssuerPagesWalkTheRegisterOnce(uint256 extra, uint256 pageSize) public {
        address[] memory all = registerIssuers(bound(extra, 0, MAX_EXTRA));
        pageSize = bound(pageSize, 1, all.length + 2);
        uint256 seen;
        for (uint256 start;; start += pageSize) {
            address[] memory page = registry.issuers(start, pageSize);
            if (page.length == 0) break;
            assertLe(page.length, pageSize, "page longer than its limit");
            for (uint256 i; i < page.length; ++i) {
                assertEq(page[i], all[seen++], "entry");
            }
        }
        assertEq(seen, all.length, "every issuer once");
    }
}

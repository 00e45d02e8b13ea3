// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A stand-in for an electronic-money token in tenge (2 decimals: tiyn) that its issuing
/// bank would run: anyone may mint in the tests, nothing else differs from a plain ERC-20.
contract TestEMoney is ERC20 {
    constructor() ERC20("Test e-money tenge", "eKZT") {}

    function decimals() public pure override returns (uint8) {
        return 2;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

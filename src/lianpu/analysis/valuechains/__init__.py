"""Value chains and prices 价值链与价格: GVC participation/position, cost-push prices, CBAM exposure."""

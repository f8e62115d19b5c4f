"""Scenarios 情景: demand vectors, project impacts, price/quantity shocks, supply disruptions, inoperability, Monte Carlo."""

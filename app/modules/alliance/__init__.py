"""The Alliance module: stake whitelisted assets, mint virtual native stake, share its rewards."""

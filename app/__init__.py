"""allianced: a restaking chain (Terra's Alliance module) as a Python ABCI 2.0 app under CometBFT."""

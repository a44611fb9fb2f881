"""allianced: a restaking chain (Terra's Alliance module), a Python ABCI 2.0 app for CometBFT."""

"""Node-side commands: make a node home, edit its genesis, run the ABCI app, export state.

Kept apart from the RPC client in `app.cli`: these commands read and write a node's files and its
store, and are only ever run on the node's own machine.
"""

"""The chain layer: the ABCI application, block context, ante checks, routing, gas and events.

`application.ChainApplication` is the entry point; `wiring.build_chain` assembles the modules.
Modules see only `context.Context`, `router`, `errors`, `events` and the `module.Module` contract.
"""

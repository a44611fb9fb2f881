"""The chain's modules, one folder each; `app.chain.wiring` assembles them."""

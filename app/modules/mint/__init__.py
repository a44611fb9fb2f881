"""x/mint: block provisions of the bond denom under a bonded-ratio-driven inflation."""

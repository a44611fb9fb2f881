"""Every vector of the public set of vectors/alliance.md names the tests that replay it.

A vector without a test, or a test name that no longer exists, fails here. Three vectors are
left out on purpose: BND-1 (CosmWasm bindings, not part of this chain), TYP-2 (amino-JSON sign
bytes, not supported) and BEN-1 (a benchmark without numbers; the Hypothesis state machine
checks the same invariants).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

PUBLIC_SET = [
    "DEL-1",
    "DEL-2",
    "DEL-3",
    "DEL-4",
    "DEL-5",
    "DEL-6",
    "DEL-8",
    "REB-1",
    "REB-2",
    "REB-5",
    "WGT-1",
    "WGT-2",
    "TAK-1",
    "TAK-3",
    "TAK-4",
    "RWD-1",
    "RWD-2",
    "RWD-3",
    "RWD-4",
    "RWD-5",
    "RWD-7",
    "RWD-8",
    "RWD-10",
    "RWD-11",
    "RWD-12",
    "SLA-1",
    "SLA-4",
    "UNB-1",
    "GEN-1",
    "GEN-2",
    "GEN-3",
    "GOV-1",
    "QRY-1",
    "QRY-2",
    "E2E-1",
    "E2E-2",
    "E2E-3",
    "E2E-4",
    "E2E-7",
    "TYP-1",
    "TYP-2",
    "TYP-3",
    "BND-1",
    "BEN-1",
    "D-1",
    "D-2",
    "D-4",
    "D-5",
    "D-6",
    "D-7",
    "D-10",
]
"""The vector ids of the public set, as the document's headings and D-table list them."""

EXCLUDED = {"BND-1", "TYP-2", "BEN-1"}

KEEPER = "test_keeper_vectors"
PURE = "test_vectors_pure"
REWARDS = "test_keeper_rewards"
SCHEDULE = "test_keeper_schedule"
E2E = "test_keeper_e2e"
QUERIES = "test_keeper_queries"
MSGS = "test_msgs_genesis_queries"

COVERAGE: dict[str, tuple[str, ...]] = {
    "DEL-1": (
        f"{KEEPER}::test_del1_delegation_with_a_single_asset",
        f"{PURE}::test_del1_delegation_shares_and_asset_totals",
    ),
    "DEL-2": (f"{KEEPER}::test_del2_multiple_assets",),
    "DEL-3": (f"{KEEPER}::test_del3_unknown_asset_changes_nothing",),
    "DEL-4": (
        f"{KEEPER}::test_del4_successful_redelegation_and_completion",
        f"{PURE}::test_del4_redelegation_completion_time",
    ),
    "DEL-5": (
        f"{KEEPER}::test_del5_failures",
        f"{PURE}::test_del5_redelegating_more_than_the_delegation_fails",
    ),
    "DEL-6": (f"{KEEPER}::test_del6_successful_undelegation",),
    "DEL-8": (f"{SCHEDULE}::test_del8_delegation_with_native_staking_changes",),
    "REB-1": (f"{KEEPER}::test_reb1_rebalancing_after_weight_change",),
    "REB-2": (
        f"{SCHEDULE}::test_reb2_rebalancing_with_unbonded_validator",
        f"{PURE}::test_reb2_unbonded_validator_is_left_out_of_the_denominators",
    ),
    "REB-5": ("test_state::test_rebalance_flag_reb5",),
    "WGT-1": (
        f"{SCHEDULE}::test_wgt1_reward_range_with_change_rate_over_time",
        f"{PURE}::test_wgt1_reward_range_with_change_rate_over_time",
    ),
    "WGT-2": (
        f"{SCHEDULE}::test_wgt2_reward_weight_decay",
        f"{PURE}::test_wgt2_reward_weight_decay_and_anchor_rules",
    ),
    "TAK-1": (
        f"{KEEPER}::test_tak1_claim_take_rate_then_distribution",
        f"{PURE}::test_tak1_claim_take_rate",
    ),
    "TAK-3": (
        f"{SCHEDULE}::test_tak3_claim_take_rate_for_newly_added_assets",
        f"{PURE}::test_tak3_claim_take_rate_for_newly_added_assets",
    ),
    "TAK-4": (
        f"{SCHEDULE}::test_tak4_rate_change_from_an_inactive_schedule_moves_the_anchor",
        f"{PURE}::test_tak4_rate_change_from_inactive_schedule_moves_anchor",
    ),
    "RWD-1": (
        f"{REWARDS}::test_rwd1_reward_pool_and_global_index",
        f"{PURE}::test_rwd1_reward_pool_and_global_index",
    ),
    "RWD-2": (f"{KEEPER}::test_rwd2_claim_rewards", f"{PURE}::test_rwd2_claim_rewards"),
    "RWD-3": (
        f"{REWARDS}::test_rwd3_claim_rewards_before_rewards_issuance",
        f"{PURE}::test_rwd3_claim_rewards_before_rewards_issuance",
    ),
    "RWD-4": (f"{KEEPER}::test_rwd4_rewards_with_multiple_validators",),
    "RWD-5": (f"{REWARDS}::test_rwd5_claim_rewards_after_rewards_rates_change",),
    "RWD-7": (f"{REWARDS}::test_rwd7_claim_rewards_after_rebalancing",),
    "RWD-8": (
        f"{REWARDS}::test_rwd8_reward_weight_with_zero_tokens",
        f"{PURE}::test_rwd8_no_eligible_asset_leaves_indices_untouched",
    ),
    "RWD-10": (
        f"{REWARDS}::test_rwd10_migrated_rewards_with_rates_change",
        f"{PURE}::test_rwd10_migrated_rewards_with_rates_change",
    ),
    "RWD-11": (f"{REWARDS}::test_rwd11_migrated_rewards", f"{PURE}::test_rwd11_migrated_rewards"),
    "RWD-12": (f"{REWARDS}::test_rwd12_delegating_claims_validator_rewards_first",),
    "SLA-1": (f"{KEEPER}::test_sla1_slashing_event", f"{PURE}::test_sla1_slash_then_rebalance"),
    "SLA-4": (
        f"{KEEPER}::test_sla4_incorrect_fraction",
        f"{PURE}::test_sla4_slashing_incorrect_amount",
    ),
    "UNB-1": (
        f"{MSGS}::test_qry2_and_unb1_query_shapes",
        f"{PURE}::test_unb1_delegate_returns_validator_shares",
    ),
    "GEN-1": (f"{MSGS}::test_gen1_genesis_params_and_bond_denom_asset",),
    "GEN-2": (f"{MSGS}::test_gen2_export_and_import_round_trip",),
    "GEN-3": (
        f"{KEEPER}::test_gen3_first_take_rate_hook_starts_the_clock",
        f"{PURE}::test_gen3_first_claim_only_starts_the_clock",
    ),
    "GOV-1": (
        f"{MSGS}::test_gov1_create_update_delete",
        f"{MSGS}::test_update_params_authority_and_zero_interval",
        f"{PURE}::test_gov1_create_and_update_alliance",
    ),
    "QRY-1": (
        f"{KEEPER}::test_qry1_claim_query_reward",
        f"{PURE}::test_qry1_index_after_take_rate",
    ),
    "QRY-2": (
        f"{QUERIES}::test_query_alliances",
        f"{QUERIES}::test_query_an_unique_alliance",
        f"{QUERIES}::test_query_alliance_not_found_and_none_at_all",
        f"{QUERIES}::test_query_params",
        f"{QUERIES}::test_query_alliance_delegation_and_by_validator",
        f"{QUERIES}::test_query_alliance_delegation_not_found",
        f"{QUERIES}::test_query_validator_not_found",
        f"{QUERIES}::test_query_delegations_of_a_delegator_and_all_paged",
        f"{QUERIES}::test_query_validator",
        f"{QUERIES}::test_query_validators_paged",
        f"{PURE}::test_qry2_not_found_texts",
    ),
    "E2E-1": (
        f"{E2E}::test_e2e1_e2e2_take_rate_then_full_withdrawal",
        f"{PURE}::test_e2e1_full_undelegation_of_a_large_amount_leaves_nothing",
    ),
    "E2E-2": (f"{E2E}::test_e2e1_e2e2_take_rate_then_full_withdrawal",),
    "E2E-3": (
        f"{E2E}::test_e2e3_delegating_a_small_amount",
        f"{PURE}::test_e2e3_sub_unit_virtual_stake_is_skipped",
    ),
    "E2E-4": (
        f"{E2E}::test_e2e4_delegate_and_undelegate_with_small_amounts",
        f"{PURE}::test_e2e4_small_delegation_next_to_a_huge_one",
    ),
    "E2E-7": (
        f"{E2E}::test_e2e7_dust_validator_shares_after_full_withdrawal",
        f"{PURE}::test_e2e7_dust_validator_shares_after_full_withdrawal",
    ),
    "TYP-1": (
        f"{PURE}::test_typ1_subtract_with_rounding",
        f"{PURE}::test_typ1_excess_of_one_or_more_fails",
    ),
    "TYP-3": ("test_state::test_typ3_round_trips", "test_state::test_byte_examples"),
    **{d: (f"{PURE}::test_micro_vectors",) for d in ("D-1", "D-2", "D-4", "D-5", "D-7", "D-10")},
    "D-6": (f"{PURE}::test_micro_vectors", f"{PURE}::test_d6_truncates_to_whole_tokens"),
}

VECTORS_DOCUMENT = Path("/work/shared/vectors/alliance.md")


def test_every_public_vector_but_the_exclusions_has_a_test() -> None:
    missing = [v for v in PUBLIC_SET if v not in EXCLUDED and not COVERAGE.get(v)]
    assert missing == []
    assert sorted(set(COVERAGE) - set(PUBLIC_SET)) == []
    assert set(PUBLIC_SET) >= EXCLUDED
    assert not EXCLUDED & set(COVERAGE)


@pytest.mark.parametrize("vector", sorted(COVERAGE))
def test_named_tests_exist(vector: str) -> None:
    for reference in COVERAGE[vector]:
        module_name, function = reference.split("::")
        module = importlib.import_module(f"tests.modules.alliance.{module_name}")
        assert callable(getattr(module, function, None)), reference


@pytest.mark.skipif(not VECTORS_DOCUMENT.exists(), reason="reference material not mounted")
def test_public_set_matches_the_document() -> None:
    text = VECTORS_DOCUMENT.read_text()
    headings = set(re.findall(r"^### ([A-Z0-9]+-\d+)", text, flags=re.MULTILINE))
    micro = set(re.findall(r"^\| (D-\d+) \|", text, flags=re.MULTILINE))
    assert headings | micro == set(PUBLIC_SET)

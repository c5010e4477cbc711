"""The rules in generator/rules/, one decision at a time, on small hand-made systems.

Every test asserts what a rule decides and the reason or formula it states, because
the design document prints both: a rule that reaches the right answer for the wrong
stated reason misleads its reader as much as a wrong answer does.
"""

from __future__ import annotations

import pytest

from generator.model import System
from generator.rules.analysis import Note, analyze
from generator.rules.capacity import Figure, estimate
from generator.rules.missing import MissingKey
from generator.rules.observability import Alert, plan_monitoring
from generator.rules.recommendations import Recommendation, recommend
from generator.rules.scaling import (
    GROWTH_PLAN,
    STAGES,
    missing_capabilities,
    plan_scaling,
    present_capabilities,
    stage_for,
)
from generator.rules.security import Check, ValidationRule, plan_security
from generator.rules.style import TreeStep, decide_style
from tests.helpers import ROOT, spec

NOTES = """\
entities:
  User:
    fields:
      email: {type: email, unique: true, pii: true}
      password_hash: {type: string, sensitive: true, input: password}
  Note:
    fields: {title: string}
    relations:
      owner: {target: User, on_delete: cascade}
api:
  resources:
    users: {entity: User}
    notes: {entity: Note}
"""


def system(head: str, tail: str = NOTES) -> System:
    """`head` (system and requirements) above two entities and their resources."""
    return spec("system: {name: Demo}\n" + head.strip("\n") + "\n" + tail)


def team(
    size: int | None = None, teams: int = 1, domains: int | None = None, **flags: bool
) -> System:
    parts = [f"teams: {teams}"]
    if size is not None:
        parts.append(f"size: {size}")
    if domains is not None:
        parts.append(f"domains: {domains}")
    lines = "".join(f"\n  {key}: {str(value).lower()}" for key, value in flags.items())
    return system(f"requirements:\n  team: {{{', '.join(parts)}}}{lines}")


def scale(**values: float) -> System:
    return system(f"requirements:\n  scale: {values!r}".replace("'", ""))


def figures(s: System) -> dict[str, tuple[float, str, str]]:
    return {f.name: (f.value, f.unit, f.formula) for f in estimate(s).figures}


def advice(s: System) -> dict[str, Recommendation]:
    return {r.topic: r for r in recommend(s, estimate(s))}


# --- style: the architecture decision tree ------------------------------------------


def test_a_team_of_three_gets_a_monolith_because_it_is_small() -> None:
    decision = decide_style(team(3, teams=3, domains=4, traffic_spikes=True))
    assert decision.style == decision.recommended == "monolith"
    assert not decision.overridden and decision.missing == ()
    # The first question decides; the team's domains and spikes are never asked about.
    assert decision.steps == (TreeStep("Small team (<5 devs)?", True, "monolith", "3 developers"),)


def test_five_developers_are_not_a_small_team() -> None:
    [first, *_] = decide_style(team(5)).steps
    assert first == TreeStep("Small team (<5 devs)?", False, None, "5 developers")


def test_several_teams_with_several_domains_get_microservices() -> None:
    decision = decide_style(team(12, teams=2, domains=3))
    assert decision.style == "microservices"
    assert decision.steps[-1] == TreeStep(
        "Multiple teams with different domains?", True, "microservices", "2 team(s), 3 domain(s)"
    )


def test_several_teams_sharing_one_domain_are_not_microservices() -> None:
    decision = decide_style(team(12, teams=3, domains=1))
    assert decision.steps[1] == TreeStep(
        "Multiple teams with different domains?", False, None, "3 team(s), 1 domain(s)"
    )
    assert decision.style == "monolith"


def test_unpredictable_spikes_get_serverless() -> None:
    decision = decide_style(team(8, traffic_spikes=True))
    assert decision.style == "serverless"
    assert decision.steps[-1] == TreeStep(
        "Unpredictable traffic spikes?", True, "serverless", "requirements.traffic_spikes is true"
    )


def test_critical_real_time_gets_event_driven() -> None:
    decision = decide_style(team(8, realtime=True))
    assert decision.style == "event-driven"
    assert [step.answer for step in decision.steps] == [False, False, False, True]
    assert decision.steps[2].because == "requirements.traffic_spikes is false"
    assert decision.steps[-1] == TreeStep(
        "Real-time updates critical?", True, "event-driven", "requirements.realtime is true"
    )


def test_one_team_with_several_domains_gets_a_modular_monolith() -> None:
    decision = decide_style(team(8, domains=3))
    assert decision.style == "modular-monolith"
    assert decision.steps[-1] == TreeStep(
        "Otherwise", True, "modular-monolith", "one team; 3 domain(s) become modules"
    )


def test_one_team_with_one_domain_gets_a_monolith_in_one_codebase() -> None:
    decision = decide_style(team(8))
    assert decision.style == "monolith"
    assert decision.steps[-1] == TreeStep(
        "Otherwise", True, "monolith", "one team; 1 domain(s) in one codebase"
    )


def test_domains_default_to_the_number_of_services() -> None:
    services = "services:\n" + "".join(f"  s{i}: {{responsibility: r}}\n" for i in range(3))
    decision = decide_style(system("requirements: {team: {size: 9, teams: 2}}\n" + services))
    assert decision.style == "microservices"
    assert decision.steps[1].because == "2 team(s), 3 domain(s)"


def test_without_a_team_size_the_tree_asks_for_it() -> None:
    decision = decide_style(team(None))
    assert decision.missing == (
        MissingKey("requirements.team.size", "the decision tree starts from team size"),
    )
    assert decision.steps[0] == TreeStep("Small team (<5 devs)?", None, None, "team size not given")
    assert str(decision.missing[0]) == (
        "add `requirements.team.size` (the decision tree starts from team size)"
    )


def test_a_style_override_wins_but_keeps_the_recommendation_and_raises_a_risk() -> None:
    s = system(
        "requirements: {team: {size: 3}}\n"
        "architecture: {style: microservices, rationale: the platform team insists}"
    )
    decision = decide_style(s)
    assert (decision.style, decision.recommended, decision.overridden) == (
        "microservices",
        "monolith",
        True,
    )
    assert (
        Note(
            "Style differs from the decision tree",
            "The spec chooses microservices; the decision tree recommends monolith. Record the reason as an ADR.",
        )
        in analyze(s).risks
    )


# --- scaling: five stages from 100 to 100M users ----------------------------------


@pytest.mark.parametrize(
    ("users", "stage"),
    [
        (0, 1),
        (999, 1),
        (1_000, 2),
        (9_999, 2),
        (10_000, 3),
        (99_999, 3),
        (100_000, 4),
        (999_999, 4),
        (1_000_000, 5),
        (10**12, 5),  # beyond the last stage's range it stays the last stage
    ],
)
def test_stage_boundaries_are_lower_inclusive(users: int, stage: int) -> None:
    assert stage_for(users).number == stage


def test_stages_carry_their_names_cost_bands_and_needs() -> None:
    assert [(s.number, s.name, s.cost_band) for s in STAGES] == [
        (1, "Monolith", "$20-50"),
        (2, "Vertical scaling", "$200-500"),
        (3, "Caching + CDN", "$1,000-2,000"),
        (4, "Microservices", "$5,000-10,000"),
        (5, "Distributed + multi-region", "$50,000-200,000"),
    ]
    assert STAGES[1].needs == ("load_balancer", "read_replicas")
    assert STAGES[2].needs == ("load_balancer", "read_replicas", "cache", "cdn")


def test_without_a_12_month_figure_the_plan_is_ten_times_today() -> None:
    plan = plan_scaling(scale(users_now=5_000))
    assert GROWTH_PLAN == 10
    assert (plan.users_now, plan.users_target, plan.target_basis) == (
        5_000,
        50_000,
        "10x users_now, as no 12-month forecast is given",
    )
    assert plan.current is not None and plan.current.number == 2
    assert plan.target is not None and plan.target.number == 3
    assert plan.stage_changes
    assert plan.missing == (
        MissingKey("requirements.scale.users_12m", "growth target for the next stage"),
    )


def test_a_larger_12_month_figure_replaces_the_tenfold_rule() -> None:
    plan = plan_scaling(scale(users_now=5_000, users_12m=200_000))
    assert (plan.users_target, plan.target_basis) == (200_000, "requirements.scale.users_12m")
    assert plan.target is not None and plan.target.number == 4
    assert plan.missing == ()


def test_the_12_month_forecast_wins_over_tenfold_growth() -> None:
    plan = plan_scaling(scale(users_now=5_000, users_12m=20_000))
    assert (plan.users_target, plan.target_basis) == (20_000, "requirements.scale.users_12m")
    assert plan.target is not None and plan.target.number == 3
    assert plan.missing == ()


def test_the_last_stage_has_nowhere_to_change_to() -> None:
    plan = plan_scaling(scale(users_now=2_000_000))
    assert plan.current == plan.target == STAGES[-1]
    assert not plan.stage_changes


def test_without_users_now_there_is_no_stage_and_the_key_is_named() -> None:
    plan = plan_scaling(scale(users_12m=5_000))
    assert (plan.current, plan.target, plan.users_target) == (None, None, None)
    assert not plan.stage_changes
    assert plan.missing == (
        MissingKey("requirements.scale.users_now", "scaling stage and cost band"),
    )


def test_a_gateway_counts_as_a_load_balancer_and_replicas_as_a_capability() -> None:
    s = system("infrastructure: {gateway: kong, read_replicas: 1, cache: redis}")
    assert present_capabilities(s) == {"gateway", "load_balancer", "read_replicas", "cache"}
    assert missing_capabilities(s, STAGES[2]) == ("cdn",)
    bare = system("infrastructure: {read_replicas: 0}")
    assert present_capabilities(bare) == set()
    assert missing_capabilities(bare, STAGES[2]) == (
        "load_balancer",
        "read_replicas",
        "cache",
        "cdn",
    )
    assert missing_capabilities(bare, STAGES[0]) == ()


def test_a_stage_without_its_infrastructure_is_a_risk_naming_the_keys() -> None:
    risks = analyze(scale(users_now=5_000, users_12m=8_000)).risks
    assert (
        Note(
            "Stage 2 without its infrastructure",
            "Missing a load balancer (infrastructure.load_balancer), read replicas (infrastructure.read_replicas).",
        )
        in risks
    )
    # The stated forecast decides: 8,000 users stay in stage 2.
    assert "Stage change to 3 (Caching + CDN)" not in {r.title for r in risks}


def test_growth_into_the_next_stage_is_a_risk_with_its_cost_and_needs() -> None:
    s = system(
        "requirements: {scale: {users_now: 5000}}\n"
        "infrastructure: {load_balancer: nginx, read_replicas: 2}"
    )
    risks = {r.title: r.text for r in analyze(s).risks}
    assert "Stage 2 without its infrastructure" not in risks
    assert risks["Stage change to 3 (Caching + CDN)"] == (
        "Growth to 50,000 users (10x users_now, as no 12-month forecast is given) crosses "
        "into stage 3, $1,000-2,000/month. "
        "It will need a cache (infrastructure.cache), a CDN (infrastructure.cdn)."
    )


# --- capacity: every figure with its formula --------------------------------------


def test_capacity_figures_carry_their_numbers_and_formulas() -> None:
    s = system(
        "requirements:\n"
        "  scale: {daily_active_users: 100000, requests_per_user_per_day: 20, peak_rps: 100,"
        " read_write_ratio: 4, data_volume_gb: 50, data_growth_gb_per_month: 5,"
        " hot_data_percent: 20}\n"
        "  latency_ms: {p95: 200, db_per_request: 8}\n"
        "infrastructure: {cache: redis}"
    )
    got = figures(s)
    value, unit, formula = got["Average load"]
    assert value == pytest.approx(100_000 * 20 / 86_400) and unit == "req/s"
    assert formula == "100,000 DAU × 20 req/day ÷ 86,400 s"
    assert got["Peak load"] == (100, "req/s", "requirements.scale.peak_rps (4.3× the average)")
    assert got["Peak reads"] == (80, "req/s", "peak × 4/(4+1)")
    assert got["Peak writes"] == (20, "req/s", "peak × 1/(4+1)")
    assert got["Storage now"] == (50, "GB", "requirements.scale.data_volume_gb")
    assert got["Storage in 12 months"] == (110, "GB", "50 GB + 12 × 5 GB/month")
    assert got["Requests in flight at peak"] == (
        20,
        "",
        "Little's law: 100 req/s × 200 ms (p95)",
    )
    assert got["Cache working set"] == (10, "GB", "50 GB × 20% hot data")
    # The database sees rate × time holding a connection, not the end-to-end latency.
    assert got["Database connections busy at peak"] == (
        1,
        "",
        "Little's law at the database: 100 req/s × 8 ms held per request",
    )
    capacity = estimate(s)
    assert (capacity.pool_connections, capacity.needs_pooler, capacity.missing) == (1, False, ())
    assert capacity.get("Peak load") == Figure(
        "Peak load", 100, "req/s", "requirements.scale.peak_rps (4.3× the average)"
    )
    assert capacity.get("Lunar load") is None


def test_peak_without_an_average_is_stated_as_given() -> None:
    assert figures(scale(peak_rps=40))["Peak load"] == (40, "req/s", "requirements.scale.peak_rps")


def test_little_law_rounds_up_and_never_reaches_zero() -> None:
    s = system("requirements: {scale: {peak_rps: 1}, latency_ms: {p95: 10}}")
    assert figures(s)["Requests in flight at peak"][0] == 1
    s = system("requirements: {scale: {peak_rps: 33}, latency_ms: {p95: 100}}")
    assert figures(s)["Requests in flight at peak"][0] == 4  # 3.3 in flight needs 4 slots


@pytest.mark.parametrize(("peak", "pooler"), [(500, False), (505, True)])
def test_a_pooler_is_needed_only_beyond_postgresql_default_connections(
    peak: int, pooler: bool
) -> None:
    s = system(
        f"requirements: {{scale: {{peak_rps: {peak}}}, latency_ms: {{db_per_request: 200}}}}"
    )
    capacity = estimate(s)
    assert capacity.pool_connections == (100 if peak == 500 else 101)
    assert capacity.needs_pooler is pooler
    pooling = advice(s).get("Connection pooling")
    if pooler:
        assert pooling == Recommendation(
            "Connection pooling",
            "Put PgBouncer (transaction pooling) between app servers and PostgreSQL.",
            "101 database connections busy at peak exceed PostgreSQL's default 100",
            False,
        )
    else:
        assert pooling is None


def test_an_empty_scale_names_every_key_capacity_needs() -> None:
    capacity = estimate(system("requirements: {}"))
    assert capacity.figures == ()
    assert capacity.pool_connections is None and not capacity.needs_pooler
    assert capacity.missing == (
        MissingKey("requirements.scale.daily_active_users", "average request rate"),
        MissingKey("requirements.scale.requests_per_user_per_day", "average request rate"),
        MissingKey("requirements.scale.peak_rps", "peak load, pool sizing and alert baselines"),
        MissingKey(
            "requirements.scale.read_write_ratio", "read/write split, replica and cache decisions"
        ),
        MissingKey("requirements.scale.data_volume_gb", "storage sizing"),
        MissingKey("requirements.latency_ms.p95", "requests in flight at peak"),
    )


def test_a_cache_without_its_hot_share_asks_for_it() -> None:
    s = system("requirements: {scale: {data_volume_gb: 10}}\ninfrastructure: {cache: memcached}")
    missing = estimate(s).missing
    assert MissingKey("requirements.scale.hot_data_percent", "cache sizing") in missing
    assert (
        MissingKey("requirements.scale.data_growth_gb_per_month", "storage in 12 months") in missing
    )
    assert "Cache working set" not in figures(s)


# --- recommendations: the scalability table ---------------------------------------


@pytest.mark.parametrize(("ratio", "read_heavy"), [(10, True), (9.5, False)])
def test_reads_dominate_from_ten_reads_per_write(ratio: float, read_heavy: bool) -> None:
    got = advice(scale(read_write_ratio=ratio))
    assert ("High read load" in got) is read_heavy
    if read_heavy:
        assert got["High read load"].because == "read:write ratio is 10:1"
        assert not got["High read load"].satisfied  # no cache, no replicas
        assert got["High read load"].advice.startswith("Serve reads from read replicas")


def test_read_advice_is_satisfied_by_a_cache_and_replicas_together() -> None:
    both = system(
        "requirements: {scale: {read_write_ratio: 20}}\n"
        "infrastructure: {cache: redis, read_replicas: 1}"
    )
    assert advice(both)["High read load"].satisfied
    cache_only = system(
        "requirements: {scale: {read_write_ratio: 20}}\ninfrastructure: {cache: redis}"
    )
    assert not advice(cache_only)["High read load"].satisfied


@pytest.mark.parametrize(("ratio", "stated"), [(1, "1:1"), (0.5, "0.5:1")])
def test_writes_at_least_as_frequent_as_reads_are_a_write_load(ratio: float, stated: str) -> None:
    got = advice(scale(read_write_ratio=ratio))["High write load"]
    assert got.because == f"read:write ratio is {stated}"
    assert got.advice.startswith("Partition the busiest tables")
    assert "High write load" not in advice(scale(read_write_ratio=1.5))


def test_large_datasets_come_from_twelve_months_of_growth_or_cursor_pagination() -> None:
    grown = advice(scale(data_volume_gb=40, data_growth_gb_per_month=5))["Large datasets"]
    assert (grown.because, grown.satisfied) == ("100 GB expected in 12 months", False)
    assert "Large datasets" not in advice(scale(data_volume_gb=40, data_growth_gb_per_month=4.9))
    cursor = system(
        "requirements: {}",
        NOTES.replace("api:\n", "api:\n  pagination: cursor\n"),
    )
    got = advice(cursor)["Large datasets"]
    assert (got.because, got.satisfied) == ("api.pagination is cursor", True)


def test_real_time_and_background_work_are_satisfied_by_a_queue() -> None:
    bare = advice(team(8, realtime=True, background_jobs=True))
    assert bare["Real-time needs"] == Recommendation(
        "Real-time needs",
        "Push updates over WebSockets or Server-Sent Events, fed from the event stream rather than polling.",
        "requirements.realtime is true",
        False,
    )
    assert bare["Background work"].because == "requirements.background_jobs is true"
    assert not bare["Background work"].satisfied
    queued = system(
        "requirements: {realtime: true, background_jobs: true}\ninfrastructure: {queue: nats}"
    )
    assert (
        advice(queued)["Real-time needs"].satisfied and advice(queued)["Background work"].satisfied
    )


EVENTS = """\
services:
  notes: {owns: [Note], publishes: [note.created]}
  users: {owns: [User], consumes: [note.created]}
"""


def test_publishing_services_are_background_work_too() -> None:
    got = advice(system("requirements: {}\n" + EVENTS))["Background work"]
    assert got.because == "services publish events"


def test_consistency_advice_follows_the_consistency_model() -> None:
    strong = advice(system("requirements: {consistency: strong}\n" + EVENTS))
    assert strong["Consistency across services"].because == (
        "consistency is strong and there are several services"
    )
    assert "Eventual consistency" not in strong
    eventual = advice(system("requirements: {consistency: eventual}\n" + EVENTS))
    assert eventual["Eventual consistency"].because == (
        "consistency is eventual and services exchange events"
    )
    assert "Consistency across services" not in eventual
    single = advice(system("requirements: {consistency: strong}"))
    assert "Consistency across services" not in single


def test_an_external_search_engine_needs_syncing_and_postgresql_fts_does_not() -> None:
    searchable = NOTES.replace(
        "    fields: {title: string}\n", "    fields: {title: string}\n    search: {title: A}\n"
    )
    external = advice(system("infrastructure: {search: meilisearch}", searchable))
    assert external["Search index sync"].advice.startswith("Feed meilisearch from change events")
    assert external["Search index sync"].because == (
        "full-text search fields and an external search engine are declared"
    )
    assert "Search index sync" not in advice(
        system("infrastructure: {search: postgresql-fts}", searchable)
    )
    assert "Search index sync" not in advice(system("infrastructure: {search: meilisearch}"))


@pytest.mark.parametrize(
    ("users", "cdn", "advised"),
    [(10_000, "", True), (9_999, "", False), (50_000, "cdn: fastly", False)],
)
def test_static_assets_need_a_cdn_from_stage_three(users: int, cdn: str, advised: bool) -> None:
    s = system(f"requirements: {{scale: {{users_now: {users}}}}}\ninfrastructure: {{{cdn}}}")
    got = advice(s).get("Static assets")
    assert (got is not None) is advised
    if got is not None:
        assert got.because == "10,000+ users is scaling stage 3 (Caching + CDN)"


# --- security ---------------------------------------------------------------------

ROLES = """\
security:
  roles:
    admin: {permissions: ["*"]}
    viewer: {permissions: ["notes:read"]}
    editor: {permissions: ["notes:write"]}
"""


def test_the_authorization_matrix_grants_what_each_role_permits() -> None:
    plan = plan_security(system(ROLES))
    assert plan.roles == ("admin", "viewer", "editor")
    matrix = {row.operation.id: row.access for row in plan.matrix}
    assert matrix["listNotes"] == ("allow", "allow", "deny")
    assert matrix["getNote"] == ("allow", "allow", "deny")
    assert matrix["createNote"] == ("allow", "deny", "allow")
    assert matrix["updateNote"] == ("allow", "deny", "allow")
    assert matrix["deleteNote"] == ("allow", "deny", "allow")
    assert matrix["deleteUser"] == ("allow", "deny", "deny")
    # Business operations only: login, refresh, logout and health are not in it.
    assert not {"login", "logout", "refreshToken", "getHealth"} & matrix.keys()


def test_public_operations_are_allowed_for_every_role() -> None:
    tail = NOTES.replace("notes: {entity: Note}", "notes: {entity: Note, public: [list]}")
    matrix = {row.operation.id: row.access for row in plan_security(system(ROLES, tail)).matrix}
    assert matrix["listNotes"] == ("allow", "allow", "allow")
    assert matrix["getNote"] == ("allow", "allow", "deny")


def test_without_roles_the_matrix_has_no_columns() -> None:
    plan = plan_security(system("requirements: {}"))
    assert plan.roles == ()
    assert {row.access for row in plan.matrix} == {()}
    assert len(plan.matrix) == 10  # five operations on each of two resources


def test_jwt_without_token_lifetimes_names_both_keys() -> None:
    assert plan_security(system("requirements: {}")).missing == (
        MissingKey("security.authentication.access_token_ttl_minutes", "access-token expiry"),
        MissingKey("security.authentication.refresh_token_ttl_days", "refresh-token expiry"),
    )
    set_ = "security: {authentication: {access_token_ttl_minutes: 15, refresh_token_ttl_days: 7}}"
    assert plan_security(system(set_)).missing == ()
    assert plan_security(system("security: {authentication: {scheme: api-key}}")).missing == ()


def checks(s: System) -> dict[str, Check]:
    return {check.rule: check for check in plan_security(s).checks}


def test_public_endpoints_without_a_limit_are_counted_and_the_key_named() -> None:
    got = checks(system("requirements: {}"))["Rate limiting on all public endpoints"]
    # login and refresh are public; health is not counted.
    assert (got.status, got.detail) == (
        False,
        "0 of 2 public operations have a limit; add security.rate_limits.public",
    )
    limited = system("security: {rate_limits: {public: {requests: 10}}}")
    got = checks(limited)["Rate limiting on all public endpoints"]
    assert (got.status, got.detail) == (True, "2 of 2 public operations have a limit")


def test_transport_hashing_and_at_rest_checks_state_the_key_they_read() -> None:
    weak = system(
        "security:\n  authentication: {password_hashing: scrypt}\n  encryption: {in_transit: false}"
    )
    got = checks(weak)
    assert got["HTTPS for all communications"] == Check(
        "HTTPS for all communications", False, "security.encryption.in_transit is false"
    )
    assert got["Strong password hashing"] == Check(
        "Strong password hashing", False, "security.authentication.password_hashing is scrypt"
    )
    assert got["Encryption at rest for personal data"] == Check(
        "Encryption at rest for personal data",
        False,
        "security.encryption.at_rest is false; 1 pii field(s)",
    )
    strong = checks(system("security: {encryption: {at_rest: true}}"))
    assert strong["Strong password hashing"].status  # argon2id, the default
    assert strong["HTTPS for all communications"].status
    assert strong["Encryption at rest for personal data"].detail == (
        "security.encryption.at_rest is true; 1 pii field(s)"
    )
    no_pii = checks(system("requirements: {}", NOTES.replace(", pii: true", "")))
    assert no_pii["Encryption at rest for personal data"].status  # nothing personal to encrypt


def test_public_writes_fail_the_authentication_check_except_sign_up() -> None:
    rule = "Write operations require authentication"
    sign_up = NOTES.replace("users: {entity: User}", "users: {entity: User, public: [create]}")
    assert checks(system("requirements: {}", sign_up))[rule].status
    open_delete = NOTES.replace("notes: {entity: Note}", "notes: {entity: Note, public: [delete]}")
    got = checks(system("requirements: {}", open_delete))[rule]
    assert not got.status
    assert (
        got.detail == "public writes other than sign-up and login are flagged by the design review"
    )


def test_sensitive_fields_are_protected_and_never_exposed() -> None:
    plan = plan_security(system("requirements: {}"))
    assert [(entity, column.name) for entity, column in plan.protected_fields] == [
        ("User", "email"),
        ("User", "password_hash"),
    ]
    got = checks(system("requirements: {}"))["Sensitive fields never leave the API"]
    assert (got.status, got.detail) == (
        True,
        "sensitive columns are excluded from every read model",
    )


def compliance(head: str, tail: str = NOTES) -> dict[str, Check]:
    return {check.rule: check for check in plan_security(system(head, tail)).compliance}


def test_gdpr_needs_retention_erasure_and_encryption_at_rest() -> None:
    bare = compliance("requirements: {compliance: [GDPR]}")["GDPR"]
    assert (bare.status, bare.detail) == (
        False,
        "add `security.pii_retention_days`; erasure: delete User; "
        "add `security.encryption.at_rest: true`",
    )
    met = compliance(
        "requirements: {compliance: [GDPR, CCPA]}\n"
        "security: {pii_retention_days: 30, encryption: {at_rest: true}}"
    )
    for regime in ("GDPR", "CCPA"):
        assert (met[regime].status, met[regime].detail) == (
            True,
            "retention 30 days; erasure: delete User",
        )
    undeletable = NOTES.replace(
        "users: {entity: User}", "users: {entity: User, operations: [list, get, create]}"
    )
    got = compliance(
        "requirements: {compliance: [GDPR]}\n"
        "security: {pii_retention_days: 30, encryption: {at_rest: true}}",
        undeletable,
    )["GDPR"]
    assert (got.status, got.detail) == (
        False,
        "retention 30 days; erasure: no delete operation for User",
    )


def test_pci_hipaa_and_soc2_read_their_own_keys() -> None:
    bare = compliance("requirements: {compliance: [PCI-DSS, HIPAA, SOC2]}")
    assert (
        not bare["PCI-DSS"].status and "security.encryption.field_level" in bare["PCI-DSS"].detail
    )
    assert not bare["HIPAA"].status  # at rest is off by default
    assert (
        bare["HIPAA"].detail
        == "health data must be encrypted at rest and in transit, with access audit logs"
    )
    assert (bare["SOC2"].status, bare["SOC2"].detail) == (
        False,
        "SOC 2 needs audit-log retention (observability.log_retention_days)",
    )
    met = compliance(
        "requirements: {compliance: [PCI-DSS, HIPAA, SOC2]}\n"
        "security: {encryption: {at_rest: true, field_level: true}}\n"
        "observability: {log_retention_days: 365}"
    )
    assert all(check.status for check in met.values())


def test_validation_rules_follow_each_field_declaration() -> None:
    tail = """\
entities:
  Order:
    fields:
      email: {type: email, unique: true}
      total: {type: decimal, precision: 10, scale: 2}
      status: {type: enum, values: [open, paid]}
      note: {type: string, max_length: 80, nullable: true}
      paid: {type: boolean, default: false}
  Tag:
    fields: {label: string}
    relations:
      orders: {target: Order, kind: many-to-many}
api:
  resources:
    orders: {entity: Order}
"""
    rules = {
        (r.entity, r.field): r.rules
        for r in plan_security(system("requirements: {}", tail)).validation
    }
    assert rules[("Order", "email")] == (
        "required on create",
        "valid e-mail address",
        "at most 255 characters",  # the resolver's default length for e-mail
        "unique (409 on conflict)",
    )
    assert rules[("Order", "total")] == (
        "required on create",
        "decimal",
        "decimal string, 10 digits, 2 after the point",
    )
    assert rules[("Order", "status")] == ("required on create", "enum", "one of open, paid")
    assert rules[("Order", "note")] == ("string", "at most 80 characters")
    assert rules[("Order", "paid")] == ("true/false",)  # a default makes it optional
    assert rules[("Tag", "label")] == ("required on create", "string", "at most 255 characters")
    # The join table between Order and Tag has no fields a client sends.
    assert {entity for entity, _ in rules} == {"Order", "Tag"}
    assert (
        ValidationRule("Tag", "label", ("required on create", "string", "at most 255 characters"))
        in plan_security(system("requirements: {}", tail)).validation
    )


# --- observability ----------------------------------------------------------------


def alerts(s: System) -> dict[str, Alert]:
    return {alert.name: alert for alert in plan_monitoring(s).alerts}


def test_alert_thresholds_come_from_the_latency_and_availability_targets() -> None:
    got = alerts(system("requirements: {latency_ms: {p99: 500}, availability: 99.9}"))
    assert got["Latency"] == Alert(
        "Latency", "p99 > 500 ms for 5 minutes", "page", "requirements.latency_ms.p99"
    )
    assert got["Error budget, fast burn"] == Alert(
        "Error budget, fast burn",
        "5xx ratio > 1.44% over 1 h and 5 min (14.4× the 0.1% budget)",
        "page",
        "requirements.availability",
    )
    assert got["Error budget, slow burn"] == Alert(
        "Error budget, slow burn",
        "5xx ratio > 0.6% over 6 h and 30 min (6× the budget)",
        "ticket",
        "requirements.availability",
    )
    assert plan_monitoring(
        system("requirements: {latency_ms: {p99: 500}, availability: 99.9}")
    ).missing == (MissingKey("observability.log_retention_days", "log retention"),)


def test_an_explicit_p99_alert_overrides_the_requirement() -> None:
    s = system(
        "requirements: {latency_ms: {p99: 500}}\nobservability: {alerts: {p99_latency_ms: 300}}"
    )
    assert alerts(s)["Latency"] == Alert(
        "Latency", "p99 > 300 ms for 5 minutes", "page", "observability.alerts.p99_latency_ms"
    )


def test_missing_targets_name_the_keys_alerts_need() -> None:
    plan = plan_monitoring(system("requirements: {}"))
    assert plan.alerts == ()
    assert plan.missing == (
        MissingKey("requirements.latency_ms.p99", "latency alert threshold"),
        MissingKey("requirements.availability", "error budget and burn-rate alerts"),
        MissingKey("observability.log_retention_days", "log retention"),
    )


def test_declared_thresholds_slos_replicas_and_queues_get_alerts() -> None:
    s = system(
        "observability:\n"
        "  alerts: {error_rate_percent: 1, saturation_percent: 80}\n"
        "  slos:\n"
        "    fast-reads: {target: 99, indicator: latency, threshold_ms: 300}\n"
        "    up: {target: 99.9}\n"
        "  log_retention_days: 90\n"
        "infrastructure: {read_replicas: 1, queue: kafka}"
    )
    got = alerts(s)
    assert got["Error rate"] == Alert(
        "Error rate",
        "5xx > 1% of requests for 5 minutes",
        "page",
        "observability.alerts.error_rate_percent",
    )
    assert got["Saturation"].condition == "CPU, memory or DB connections > 80% for 15 minutes"
    assert got["Saturation"].severity == "ticket"
    assert got["SLO fast-reads"] == Alert(
        "SLO fast-reads",
        "fewer than 99% of requests under 300 ms over 30 days",
        "ticket",
        "observability.slos.fast-reads",
    )
    assert "SLO up" not in got  # availability SLOs are covered by the burn-rate alerts
    assert got["Replica lag"].source == "infrastructure.read_replicas"
    assert got["Consumer lag"].condition.startswith("kafka consumer lag growing for 10 minutes")
    assert plan_monitoring(s).log_retention_days == 90


def test_dashboards_follow_the_infrastructure() -> None:
    plain = dict(plan_monitoring(system("requirements: {}")).dashboards)
    assert plain == {
        "Service overview": "golden signals per application: latency p50/p95/p99, traffic, errors, saturation",
        "Endpoints (RED)": "rate, errors and duration per route, worst routes first",
        "Database": "postgresql connections vs pool, slow queries, locks",
    }
    full = system(
        "infrastructure: {database: mysql, read_replicas: 2, cache: redis, queue: rabbitmq}\n"
        "observability: {slos: {up: {target: 99.5}}}\n" + EVENTS
    )
    plan = plan_monitoring(full)
    boards = dict(plan.dashboards)
    assert boards["Service overview"].startswith("golden signals per service:")
    assert boards["Database"] == "mysql connections vs pool, slow queries, locks, replica lag"
    assert boards["Cache"] == "redis hit ratio, evictions, memory"
    assert boards["Messaging"] == "rabbitmq publish rate, consumer lag, dead letters per event"
    assert boards["SLOs"] == "error budget remaining and burn rate per SLO"
    assert plan.components == ("notes", "users")
    assert plan_monitoring(system("requirements: {}")).components == ("demo",)


def test_monitoring_covers_every_endpoint_and_redacts_protected_columns() -> None:
    s = system("requirements: {}")
    plan = plan_monitoring(s)
    assert plan.endpoints == s.api.operations
    assert plan.redact == ("users.email", "users.password_hash")


# --- analysis: every rule together -------------------------------------------------


def test_analysis_collects_every_missing_key_once_and_sorted() -> None:
    analysis = analyze(system("requirements: {}"))
    keys = [m.key for m in analysis.missing]
    assert keys == sorted(keys)
    assert len(analysis.missing) == len(set(analysis.missing))
    assert {
        "requirements.team.size",
        "requirements.scale.users_now",
        "requirements.scale.peak_rps",
        "security.authentication.access_token_ttl_minutes",
        "observability.log_retention_days",
    } <= set(keys)
    complete = analyze(spec((ROOT / "specs" / "parcelflow.yaml").read_text()))
    assert complete.missing == ()


def test_a_high_availability_target_without_replicas_is_a_single_point_of_failure() -> None:
    risks = {r.title: r.text for r in analyze(system("requirements: {availability: 99.9}")).risks}
    assert risks["Single database"] == (
        "A 99.9% availability target with no replica leaves the database as a single point of failure."
    )
    assert "Single database" not in {
        r.title for r in analyze(system("requirements: {availability: 99.5}")).risks
    }
    replicated = system("requirements: {availability: 99.99}\ninfrastructure: {read_replicas: 1}")
    assert "Single database" not in {r.title for r in analyze(replicated).risks}


FAN_OUT = """\
services:
  orders: {owns: [Note], depends_on: [{service: users}, {service: billing}]}
  users: {owns: [User]}
  billing: {}
"""


def test_synchronous_fan_out_is_a_risk_only_for_distributed_styles() -> None:
    distributed = system("requirements: {team: {size: 20, teams: 3}}\n" + FAN_OUT)
    assert decide_style(distributed).style == "microservices"
    risks = {r.title: r.text for r in analyze(distributed).risks}
    assert risks["Synchronous fan-out"] == (
        "orders call several services synchronously; each call needs a timeout and a circuit breaker."
    )
    modular = system("requirements: {team: {size: 20}}\n" + FAN_OUT)
    assert decide_style(modular).style == "modular-monolith"
    assert "Synchronous fan-out" not in {r.title for r in analyze(modular).risks}


def test_implementation_details_follow_the_entities() -> None:
    tail = NOTES.replace(
        "  Note:\n    fields: {title: string}\n",
        "  Note:\n    soft_delete: true\n    versioned: true\n    search: {title: A}\n    fields: {title: string}\n",
    )
    details = {n.title: n.text for n in analyze(system("requirements: {}", tail)).details}
    assert details["Optimistic locking"].startswith(
        "Note: update with `WHERE id = $1 AND version = $2`, bump the version, return 409"
    )
    assert details["Soft delete"].startswith("notes: queries go through the active_* views")
    assert details["Cascading deletes"] == (
        "Deleting a parent removes notes.owner_id; keep these in one transaction and never cascade across service boundaries."
    )
    assert details["Full-text search"].startswith(
        "Note: the search vector is maintained by a trigger"
    )
    assert "Events" not in details
    assert list(details)[-1] == "Transactions"  # always said
    with_events = {n.title for n in analyze(system("requirements: {}\n" + EVENTS)).details}
    assert "Events" in with_events
    plain = {
        n.title
        for n in analyze(
            system("requirements: {}", NOTES.replace(", on_delete: cascade", ""))
        ).details
    }
    assert plain == {"Transactions"}


def test_pitfalls_name_the_relations_columns_and_pagination_at_risk() -> None:
    tail = NOTES.replace("fields: {title: string}", "fields: {title: string, price: decimal}")
    pitfalls = {n.title: n.text for n in analyze(system("requirements: {}", tail)).pitfalls}
    assert pitfalls["N+1 queries"] == (
        "Load `include=` relations in one batched query per relation (Note → owner)."
    )
    assert pitfalls["Deep OFFSET pages"].startswith("OFFSET scans every skipped row")
    assert pitfalls["Personal data in logs"] == (
        "Redact users.email, users.password_hash from logs, traces and error messages."
    )
    assert pitfalls["Decimal amounts"].startswith("notes.price travel as strings in JSON")
    assert list(pitfalls)[-1] == "Error responses"
    cursor = NOTES.replace("api:\n", "api:\n  pagination: cursor\n")
    assert "Deep OFFSET pages" not in {
        n.title for n in analyze(system("requirements: {}", cursor)).pitfalls
    }


def test_long_lists_in_pitfalls_are_cut_with_an_ellipsis() -> None:
    fields = "".join(f"      f{i}: {{type: string, pii: true}}\n" for i in range(8))
    tail = f"entities:\n  Person:\n    fields:\n{fields}api:\n  resources:\n    people: {{entity: Person}}\n"
    text = {n.title: n.text for n in analyze(system("requirements: {}", tail)).pitfalls}[
        "Personal data in logs"
    ]
    assert text == (
        "Redact people.f0, people.f1, people.f2, people.f3, people.f4, people.f5, … "
        "from logs, traces and error messages."
    )

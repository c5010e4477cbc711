"""The authentication flow of the spec's scheme as an ASCII sequence diagram."""

from __future__ import annotations

from generator.emitters.ascii_canvas import WIDTH, Canvas, clean
from generator.model import System

Step = tuple[int, int, str]  # from lane, to lane (equal: a self-call), text


def auth_sequence(system: System) -> str:
    """The authentication flow of the spec's scheme as a sequence diagram."""
    sec, api, infra = system.security, system.api, system.infrastructure
    paths: dict[str, str] = {op.kind: f"{op.method} {op.path}" for op in api.operations}
    sample = f"GET {api.prefix}/…"
    # Users and refresh-token hashes live in the database (seed 004); sessions in the cache
    # when there is one (seed 000 keeps them in Redis).
    store = (infra.cache or infra.database) if sec.scheme == "session" else infra.database
    scheme = sec.scheme if sec.scheme != "jwt" or sec.password_login else "jwt-issued"
    lanes, steps, title = _flow(scheme, paths, sample, sec.password_hashing, sec.mfa)
    lanes = [store if name == "store" else name for name in lanes]
    if sec.scheme == "jwt":
        access = f"{sec.access_token_ttl_minutes} min" if sec.access_token_ttl_minutes else "short"
        refresh = f"{sec.refresh_token_ttl_days} d" if sec.refresh_token_ttl_days else "long"
        steps = [
            (
                a,
                b,
                t.replace("{access}", access)
                .replace("{refresh}", refresh)
                .replace("Bearer <access>", f"{sec.header} <access>"),
            )
            for a, b, t in steps
        ]
        if sec.header != "Bearer":
            title = title.replace("JWT bearer tokens", f"JWT sent as '{sec.header} <jwt>'")
    return _sequence(clean(f"{system.name} · authentication: {title}", WIDTH), lanes, steps)


def _flow(
    scheme: str, paths: dict[str, str], sample: str, hashing: str, mfa: bool
) -> tuple[list[str], list[Step], str]:
    login = paths.get("login", "POST /auth/login")
    if scheme == "jwt":
        verify = [(2, 2, f"verify {hashing} hash")] + ([(2, 2, "check MFA code")] if mfa else [])
        return (
            ["Client", "API", "Auth", "store"],
            [
                (0, 2, f"{login} {{email, password}}"),
                (2, 3, "find user by email"),
                *verify,
                (2, 3, "save refresh token hash"),
                (2, 0, "200 access ({access}) + refresh ({refresh})"),
                (0, 1, f"{sample} · Authorization: Bearer <access>"),
                (1, 1, "check signature, exp, role"),
                (1, 0, "200 OK · 401 when expired"),
                (0, 2, f"{paths.get('refresh', 'POST /auth/refresh')} {{refresh_token}}"),
                (2, 3, "rotate refresh token"),
                (2, 0, "200 new access + refresh"),
                (0, 2, paths.get("logout", "POST /auth/logout")),
                (2, 3, "revoke refresh token"),
                (2, 0, "204 No Content"),
            ],
            "JWT bearer tokens",
        )
    if scheme == "jwt-issued":
        # No stored password: another system (an identity provider) signs the tokens.
        return (
            ["Client", "Issuer", "API"],
            [
                (0, 1, "obtain an access token"),
                (1, 0, "access token ({access})"),
                (0, 2, f"{sample} · Authorization: Bearer <access>"),
                (2, 2, "check signature, exp, role"),
                (2, 0, "200 OK · 401 when expired"),
            ],
            "JWT bearer tokens from an external issuer",
        )
    if scheme == "session":
        return (
            ["Client", "API", "Auth", "store"],
            [
                (0, 2, f"{login} {{email, password}}"),
                (2, 2, f"verify {hashing} hash"),
                (2, 3, "create session"),
                (2, 0, "200 Set-Cookie: session (HttpOnly, Secure)"),
                (0, 1, f"{sample} · Cookie: session"),
                (1, 3, "load session"),
                (1, 0, "200 OK · 401 when unknown"),
                (0, 2, paths.get("logout", "POST /auth/logout")),
                (2, 3, "delete session"),
                (2, 0, "204 No Content"),
            ],
            "server-side sessions",
        )
    if scheme == "api-key":
        return (
            ["Client", "API", "store"],
            [
                (0, 1, f"{sample} · X-API-Key: <key>"),
                (1, 2, "look up key hash"),
                (1, 1, "check scopes and rate limit"),
                (1, 0, "200 OK · 401 bad key · 429 over limit"),
            ],
            "API keys",
        )
    if scheme == "oauth2":
        return (
            ["Client", "Identity provider", "API"],
            [
                (0, 1, "GET /authorize (PKCE challenge)"),
                (1, 0, "302 redirect with code"),
                (0, 1, "POST /token {code, verifier}"),
                (1, 0, "200 access + refresh token"),
                (0, 2, f"{sample} · Authorization: Bearer <access>"),
                (2, 2, "validate via JWKS, scopes"),
                (2, 0, "200 OK · 401 when expired"),
                (0, 1, "POST /token {refresh_token}"),
                (1, 0, "200 new access token"),
            ],
            "OAuth 2.0 authorization code + PKCE",
        )
    return (
        ["Client", "API"],
        [
            (0, 1, f"{sample} (no credentials)"),
            (1, 0, "200 OK"),
        ],
        "none, every operation is public",
    )


def _sequence(title: str, lanes: list[str], steps: list[Step]) -> str:
    gap = min(40, (WIDTH - 18) // max(1, len(lanes) - 1))
    xs = [8 + i * gap for i in range(len(lanes))]
    canvas = Canvas()
    canvas.put(0, 0, title)
    for x, name in zip(xs, lanes, strict=True):
        name = clean(name, min(gap - 4, 2 * (WIDTH - x) - 6))
        half = (len(name) + 4) // 2
        canvas.put(x - half, 2, "┌" + "─" * (len(name) + 2) + "┐")
        canvas.put(x - half, 3, "│ " + name + " │")
        canvas.put(x - half, 4, "└" + "─" * (len(name) + 2) + "┘")
        canvas.put(x, 4, "┬")
    y = 5
    for a, b, text in steps:
        for x in xs:
            canvas.vline(x, y, y + 2)
        lo, hi = sorted((xs[a], xs[b]))
        if a == b and a == len(xs) - 1:  # a self-call on the last lane: hook to the left
            note = clean(text, gap - 6)
            canvas.put(lo - len(note) - 4, y + 1, note + " ┌──┤")
            canvas.put(lo - 3, y + 2, "└─▶│")
        elif a == b:  # a self-call: a hook to the right of the lane
            canvas.put(lo, y + 1, "├──┐ " + clean(text, WIDTH - lo - 6))
            canvas.put(lo, y + 2, "│◀─┘")
        else:
            canvas.put(lo + 2, y + 1, clean(text, max(hi - lo - 3, WIDTH - lo - 3)))
            line = ("─" if a < b else "┄") * (hi - lo - 1)
            canvas.put(lo + 1, y + 2, line[:-1] + "▶" if a < b else "◀" + line[1:])
        y += 3
    for x in xs:
        canvas.vline(x, y, y)
    return canvas.text() + "\nLegend: ──▶ request    ◀┄┄ response    ├──┐ local step\n"

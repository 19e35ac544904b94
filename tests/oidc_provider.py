"""A tiny OpenID Connect provider on 127.0.0.1 for the sign-in tests.

It speaks the authorization-code flow that Streamlit's ``st.login`` (Authlib)
uses: discovery document, an authorization page with a one-field sign-in form
(the e-mail address to sign in as), a token endpoint that checks the client's
secret and the code, RS256-signed ID tokens (with the request's ``nonce``)
verifiable from its JWKS, and userinfo. Keys are made fresh per run; nothing
leaves the machine.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass
class Provider:
    """The provider's fixed client and its state (codes issued, sign-ins)."""

    client_id: str = "strikemap-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    base: str = ""
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"})
    )
    codes: dict[str, dict] = field(default_factory=dict)
    signed_in: list[str] = field(default_factory=list)

    def metadata(self) -> dict:
        """The discovery document."""
        return {
            "issuer": self.base,
            "authorization_endpoint": f"{self.base}/authorize",
            "token_endpoint": f"{self.base}/token",
            "jwks_uri": f"{self.base}/jwks",
            "userinfo_endpoint": f"{self.base}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
            ],
        }

    def claims(self, email: str, nonce: str | None) -> dict:
        """The ID token's claims for *email*."""
        now = int(time.time())
        out = {
            "iss": self.base,
            "sub": email,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            "email": email,
            "email_verified": True,
            "name": email.split("@")[0].title(),
        }
        if nonce:
            out["nonce"] = nonce
        return out

    def id_token(self, claims: dict) -> str:
        """*claims* signed with the provider's key."""
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)


_FORM = """<!doctype html><html lang="en"><head><title>Test sign-in</title></head>
<body><h1>Sign in (test provider)</h1><form method="post" action="/authorize">
<label>E-mail <input name="email" type="email" required></label>
{hidden}<button type="submit">Sign in</button></form></body></html>"""


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _send(self, status: int, body: str, kind: str = "application/json"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _form_data(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            return {k: v[0] for k, v in parse_qs(body).items()}

        def do_GET(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._send(200, json.dumps(provider.metadata()))
            elif url.path == "/jwks":
                keys = [provider.key.as_dict(private=False)]
                self._send(200, json.dumps({"keys": keys}))
            elif url.path == "/authorize":
                if query.get("client_id") != provider.client_id:
                    self._send(400, '{"error": "unauthorized_client"}')
                    return
                hidden = "".join(
                    f'<input type="hidden" name="{html.escape(k)}" '
                    f'value="{html.escape(v)}">'
                    for k, v in query.items()
                )
                self._send(200, _FORM.format(hidden=hidden), "text/html")
            elif url.path == "/userinfo":
                token = (self.headers.get("Authorization") or "")[len("Bearer ") :]
                found = [c for c in provider.codes.values() if c["access"] == token]
                if not found:
                    self._send(401, '{"error": "invalid_token"}')
                    return
                self._send(200, json.dumps(provider.claims(found[0]["email"], None)))
            else:
                self._send(404, '{"error": "not_found"}')

        def _client_ok(self, form: dict[str, str]) -> bool:
            basic = self.headers.get("Authorization") or ""
            if basic.startswith("Basic "):
                pair = base64.b64decode(basic[6:]).decode()
                client, _, secret = pair.partition(":")
            else:
                client, secret = form.get("client_id", ""), form.get("client_secret")
            return client == provider.client_id and secret == provider.client_secret

        def do_POST(self) -> None:  # noqa: N802
            form = self._form_data()
            if self.path == "/authorize":
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {
                    "email": form["email"],
                    "nonce": form.get("nonce"),
                    "redirect_uri": form["redirect_uri"],
                    "access": secrets.token_urlsafe(16),
                }
                provider.signed_in.append(form["email"])
                back = {"code": code, "state": form.get("state", "")}
                self.send_response(302)
                self.send_header(
                    "Location", f"{form['redirect_uri']}?{urlencode(back)}"
                )
                self.end_headers()
            elif self.path == "/token":
                grant = provider.codes.pop(form.get("code", ""), None)
                if not self._client_ok(form) or grant is None:
                    self._send(400, '{"error": "invalid_grant"}')
                    return
                if form.get("redirect_uri") not in (None, grant["redirect_uri"]):
                    self._send(400, '{"error": "invalid_grant"}')
                    return
                provider.codes[grant["access"]] = grant  # for userinfo
                token = provider.id_token(
                    provider.claims(grant["email"], grant["nonce"])
                )
                body = {
                    "access_token": grant["access"],
                    "token_type": "Bearer",
                    "expires_in": 600,
                    "id_token": token,
                }
                self._send(200, json.dumps(body))
            else:
                self._send(404, '{"error": "not_found"}')

    return Handler


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    """Run the provider on a free port of 127.0.0.1 in a thread."""
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()

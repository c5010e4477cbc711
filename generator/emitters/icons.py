"""Which `diagrams` node class draws which technology.

Why data, not code: the spec's infrastructure values are a closed set, so one table
maps each to a provider icon; anything unmapped (meilisearch, minio, a free-text
service technology we do not know) falls back to a generic node that shows its name.
"""

from __future__ import annotations

import html
import importlib
import re
import textwrap
from pathlib import Path
from typing import Any

from generator.spec import Infrastructure

FONT = "Helvetica"
INK = "#1E293B"
MUTED = "#64748B"
SYNC = "#2563EB"
ASYNC = "#D97706"

# "module:Class" under the diagrams package, keyed by the spec's literal values.
TECHNOLOGY_ICONS: dict[str, str] = {
    # databases
    "postgresql": "onprem.database:Postgresql",
    "mysql": "onprem.database:Mysql",
    "postgresql-fts": "onprem.database:Postgresql",
    # caches and queues
    "redis": "onprem.inmemory:Redis",
    "memcached": "onprem.inmemory:Memcached",
    "redis-streams": "onprem.inmemory:Redis",
    "kafka": "onprem.queue:Kafka",
    "rabbitmq": "onprem.queue:Rabbitmq",
    "nats": "onprem.queue:Nats",
    "sqs": "aws.integration:SQS",
    # gateways and load balancers
    "nginx": "onprem.network:Nginx",
    "kong": "onprem.network:Kong",
    "envoy": "onprem.network:Envoy",
    "traefik": "onprem.network:Traefik",
    "haproxy": "onprem.network:Haproxy",
    "aws-api-gateway": "aws.network:APIGateway",
    "aws-alb": "aws.network:ElbApplicationLoadBalancer",
    "gcp-lb": "gcp.network:LoadBalancing",
    "azure-lb": "azure.network:LoadBalancers",
    # search, storage, CDN
    "elasticsearch": "elastic.elasticsearch:Elasticsearch",
    "opensearch": "aws.analytics:AmazonOpensearchService",
    "s3": "aws.storage:SimpleStorageServiceS3",
    "gcs": "gcp.storage:GCS",
    "azure-blob": "azure.storage:BlobStorage",
    "cloudflare": "saas.cdn:Cloudflare",
    "cloudfront": "aws.network:CloudFront",
    "fastly": "saas.cdn:Fastly",
    "akamai": "saas.cdn:Akamai",
    # well-known external systems, matched by their name in `external`
    "stripe": "saas.payment:Stripe",
    "paypal": "saas.payment:Paypal",
    "adyen": "saas.payment:Adyen",
    "twilio": "saas.communication:Twilio",
    "slack": "saas.chat:Slack",
}

# Free-text service technologies: the first known word wins ("Python 3.12 / FastAPI").
LANGUAGE_ICONS: dict[str, str] = {
    "fastapi": "programming.framework:Fastapi",
    "django": "programming.framework:Django",
    "flask": "programming.framework:Flask",
    "spring": "programming.framework:Spring",
    "rails": "programming.framework:Rails",
    "laravel": "programming.framework:Laravel",
    "dotnet": "programming.framework:Dotnet",
    "quarkus": "programming.framework:Quarkus",
    "python": "programming.language:Python",
    "go": "programming.language:Go",
    "golang": "programming.language:Go",
    "java": "programming.language:Java",
    "kotlin": "programming.language:Kotlin",
    "node": "programming.language:Nodejs",
    "nodejs": "programming.language:Nodejs",
    "typescript": "programming.language:Typescript",
    "javascript": "programming.language:Javascript",
    "rust": "programming.language:Rust",
    "ruby": "programming.language:Ruby",
    "php": "programming.language:Php",
    "elixir": "programming.language:Elixir",
    "scala": "programming.language:Scala",
    "csharp": "programming.language:Csharp",
}

FUNCTION_ICONS: dict[str | None, str] = {
    "aws": "aws.compute:Lambda",
    "gcp": "gcp.compute:Functions",
    "azure": "azure.compute:FunctionApps",
}

CLIENTS = "onprem.client:Users"
SERVICE = "onprem.compute:Server"
GENERIC_DATABASE = "generic.database:SQL"
GENERIC_STORAGE = "generic.storage:Storage"
GENERIC = "generic.blank:Blank"
EXTERNAL = "onprem.network:Internet"


def load(ref: str) -> Any:
    """The diagrams node class named by 'module:Class'."""
    module, name = ref.split(":")
    return getattr(importlib.import_module(f"diagrams.{module}"), name)


def for_technology(technology: str | None, fallback: str = GENERIC) -> str:
    return TECHNOLOGY_ICONS.get(technology or "", fallback)


def for_service(technology: str | None, style: str, cloud: str | None) -> str:
    if style == "serverless":
        return FUNCTION_ICONS.get(cloud, SERVICE)
    words = re.findall(r"[a-z#]+", (technology or "").lower().replace("c#", "csharp"))
    words = ["dotnet" if w == "net" else w for w in words]
    return next((LANGUAGE_ICONS[w] for w in words if w in LANGUAGE_ICONS), SERVICE)


def icon_file(ref: str) -> Path | None:
    """The PNG a node class draws, or None for icon-less classes."""
    cls = load(ref)
    if not cls._icon:
        return None
    root = Path(importlib.import_module("diagrams").__file__ or "").parent.parent
    return root / str(cls._icon_dir) / str(cls._icon)


def label(text: str) -> str:
    """Spec text as HTML-label content: escaped, one line, no control characters.

    Why double backslashes: dot expands escape sequences (\\N, \\G, \\\\) even inside
    HTML-like labels and after decoding entities; a doubled backslash survives as one.
    """
    text = "".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c for c in text)
    return html.escape(text, quote=True).replace("&#x27;", "&#39;").replace("\\", "\\\\")


def caption(ref: str, title: str, detail: str | None) -> tuple[str, dict[str, str]]:
    """HTML label and node attributes: the icon over a bold title and a muted detail line."""
    text = f"<b>{label(title)}</b>" + (
        f'<br/><font point-size="10" color="{MUTED}">{label(detail)}</font>' if detail else ""
    )
    icon = icon_file(ref) if ref != GENERIC else None
    if icon is None:
        return text, {
            "shape": "box",
            "style": "rounded,filled",
            "fillcolor": "#F1F5F9",
            "color": "#94A3B8",
            "width": "1.4",
            "height": "0.7",
        }
    return (
        f'<table border="0" cellborder="0" cellspacing="2"><tr><td fixedsize="true" '
        f'width="64" height="64"><img src="{label(str(icon))}" scale="true"/></td></tr>'
        f"<tr><td>{text}</td></tr></table>"
    ), {"shape": "plain"}


CARD = {
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": "white",
    "color": "#3B82F6",
    "penwidth": "1.5",
    "width": "2.2",
    "height": "1.0",
    "margin": "0.12,0.08",
}


def card(name: str, kind: str, tech: str | None, about: str, ref: str | None) -> str:
    """A C4-style card: small icon, bold name, [kind: technology], responsibility."""
    icon = icon_file(ref) if ref else None
    kind = f"[{kind}: {tech}]" if tech else f"[{kind}]"
    lines = textwrap.wrap(about, 30, max_lines=3, placeholder=" …")
    text = (
        f'<font point-size="13"><b>{label(name)}</b></font><br/>'
        f'<font point-size="9" color="{MUTED}">{label(kind)}</font>'
        + "".join(f'<br/><font point-size="10">{label(line)}</font>' for line in lines)
    )
    img = (
        (
            f'<td fixedsize="true" width="30" height="30"><img src="{label(str(icon))}" '
            f'scale="true"/></td>'
        )
        if icon
        else ""
    )
    return f'<table border="0" cellborder="0" cellspacing="4"><tr>{img}<td>{text}</td></tr></table>'


def stores(infra: Infrastructure) -> list[tuple[str, str, str, str]]:
    db = for_technology(infra.database, GENERIC_DATABASE)
    found: list[tuple[str, str, str, str]] = [("database", db, "Database", infra.database)]
    if infra.read_replicas:
        many = "s" if infra.read_replicas > 1 else ""
        found.append(("replicas", db, f"{infra.read_replicas} read replica{many}", infra.database))
    if infra.cache:
        found.append(("cache", for_technology(infra.cache), "Cache", infra.cache))
    if infra.search:
        found.append(("search", for_technology(infra.search), "Search", infra.search))
    if infra.object_storage:
        ref = for_technology(infra.object_storage, GENERIC_STORAGE)
        found.append(("storage", ref, "Object storage", infra.object_storage))
    return found

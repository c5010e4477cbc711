"""Which `diagrams` node class draws which technology.

Why data, not code: the spec's infrastructure values are a closed set, so one table
maps each to a provider icon; anything unmapped (meilisearch, minio, a free-text
service technology we do not know) falls back to a generic node that shows its name.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

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
    return root / cls._icon_dir / cls._icon

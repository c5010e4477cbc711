"""The event contract: AsyncAPI 3.0, from the same model as the OpenAPI document.

Shape: one server for the broker in `infrastructure.queue` with its protocol; one
channel per event (its address is the topic, queue or subject) and one dead-letter
channel per consuming service; a `send` operation per publishing service and a
`receive` operation per consuming service, which sends what it cannot process to its
dead-letter channel; one message per event in the envelope every event travels in.

Why the envelope: delivery is at least once, so each message carries an `id` that
consumers deduplicate on, the event `type` and payload `version` to route and migrate
on, the `aggregateId` that keys it (ordering per aggregate), and the `timestamp`.

Why an entity's view is a reference into openapi.yaml: when the event's data is an
entity that the REST API also returns, both contracts then share one schema, and a
change to it shows up in both.
"""

from __future__ import annotations

from typing import Any

from generator import naming
from generator.emitters import yaml_out
from generator.emitters.openapi_schemas import column_schema, exposed_columns, name_words
from generator.model import Event, System

ASYNCAPI_VERSION = "3.0.0"
PROTOCOLS = {
    "kafka": "kafka",
    "rabbitmq": "amqp",
    "sqs": "sqs",
    "redis-streams": "redis",
    "nats": "nats",
}
_BROKER_NAMES = {
    "kafka": "Kafka",
    "rabbitmq": "RabbitMQ",
    "sqs": "Amazon SQS",
    "redis-streams": "Redis Streams",
    "nats": "NATS",
}
Document = dict[str, Any]


def render(system: System, openapi_document: Document) -> str:
    return yaml_out.dump(build_document(system, openapi_document))


def build_document(system: System, openapi_document: Document) -> Document:
    """The AsyncAPI document; `openapi_document` says which entity views it can share."""
    shared = set(openapi_document.get("components", {}).get("schemas", {}))
    queue = system.infrastructure.queue
    document: Document = {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": f"{system.name} events",
            "version": system.version,
            "description": _info_description(system),
        },
        "defaultContentType": "application/json",
    }
    if queue is not None:
        document["servers"] = {"broker": _server(queue)}
    channels: Document = {}
    operations: Document = {}
    messages: Document = {}
    schemas: Document = {}
    for event in system.events:
        message = _id(event.name)
        messages[message] = _message(event, queue)
        schemas[f"{naming.pascal(message)}Envelope"] = _envelope(event)
        schemas[f"{naming.pascal(message)}Data"] = _data(system, event, shared)
        channels[message] = _channel(event.address, message, event, queue, system)
        for service in event.publishers:
            operations[f"{_id(service)}Send{naming.pascal(message)}"] = _operation(
                "send", message, message, f"{service} publishes {event.name}.", queue, service
            )
        for service in event.consumers:
            dead = f"{message}DeadLetter{naming.pascal(_id(service))}"
            channels[dead] = _channel(
                f"{event.address}.dlq.{service}", message, event, queue, system, dead_letter=service
            )
            operations[f"{_id(service)}Receive{naming.pascal(message)}"] = _operation(
                "receive",
                message,
                message,
                f"{service} consumes {event.name}; it skips an `id` it has already "
                "processed, and after retries with backoff moves the message to its "
                "dead-letter channel.",
                queue,
                service,
            )
            operations[f"{_id(service)}DeadLetter{naming.pascal(message)}"] = _operation(
                "send",
                dead,
                message,
                f"{service} moves a {event.name} it cannot process here, for inspection "
                "and replay.",
                queue,
                service,
            )
    document["channels"] = channels
    document["operations"] = operations
    document["components"] = {"messages": messages, "schemas": schemas}
    return document


def _info_description(system: System) -> str:
    text = f"Events of {system.name}, delivered at least once in one envelope; consumers deduplicate on the envelope's `id`."
    if system.infrastructure.queue is None:
        text += " No broker is declared yet: set `infrastructure.queue`."
    return text


def _id(name: str) -> str:
    """An identifier for a component key: `order.placed` -> orderPlaced."""
    return naming.camel(name.replace(".", "_").replace("-", "_").replace("/", "_"))


def _server(queue: str) -> Document:
    return {
        "host": "{broker}",
        "protocol": PROTOCOLS[queue],
        "title": _BROKER_NAMES[queue],
        "description": f"The {_BROKER_NAMES[queue]} the services publish to and consume from.",
        "variables": {"broker": {"description": "Broker address, set per environment."}},
    }


def _channel(
    address: str,
    message: str,
    event: Event,
    queue: str | None,
    system: System,
    *,
    dead_letter: str | None = None,
) -> Document:
    if dead_letter is None:
        description = event.description or f"Carries {event.name}."
    else:
        description = f"Dead letters of {event.name} that {dead_letter} could not process."
    channel: Document = {
        "address": address,
        "description": description,
        "messages": {message: {"$ref": f"#/components/messages/{message}"}},
    }
    bindings = _channel_bindings(address, queue, system)
    if bindings:
        channel["bindings"] = bindings
    return channel


def _channel_bindings(address: str, queue: str | None, system: System) -> Document:
    if queue == "kafka":
        return {"kafka": {"topic": address, "bindingVersion": "0.5.0"}}
    if queue == "rabbitmq":
        exchange = {"name": f"{system.slug}.events", "type": "topic", "durable": True}
        return {"amqp": {"is": "routingKey", "exchange": exchange, "bindingVersion": "0.3.0"}}
    if queue == "sqs":
        return {"sqs": {"queue": {"name": address.replace(".", "-")}, "bindingVersion": "0.3.0"}}
    return {}


def _operation(
    action: str, channel: str, message: str, description: str, queue: str | None, service: str
) -> Document:
    """`x-service` names the spec's service that performs it, for readers such as the site."""
    operation: Document = {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "description": description,
        "messages": [{"$ref": f"#/channels/{channel}/messages/{message}"}],
        "x-service": service,
    }
    group = service if action == "receive" else None
    if group is not None and queue == "kafka":
        consumer_group = {"type": "string", "enum": [group]}
        operation["bindings"] = {"kafka": {"groupId": consumer_group, "bindingVersion": "0.5.0"}}
    elif group is not None and queue == "nats":
        operation["bindings"] = {"nats": {"queue": group, "bindingVersion": "0.1.0"}}
    elif group is not None and queue == "rabbitmq":
        operation["bindings"] = {"amqp": {"ack": True, "bindingVersion": "0.3.0"}}
    return operation


def _message(event: Event, queue: str | None) -> Document:
    name = naming.pascal(_id(event.name))
    message: Document = {
        "name": event.name,
        "title": event.name,
        "summary": event.description or f"{event.name}, version {event.version}.",
        "payload": {"$ref": f"#/components/schemas/{name}Envelope"},
    }
    if queue == "kafka":
        key = {"type": "string", "description": "The aggregate's id: one aggregate, one partition."}
        message["bindings"] = {"kafka": {"key": key, "bindingVersion": "0.5.0"}}
    return message


def _envelope(event: Event) -> Document:
    name = naming.pascal(_id(event.name))
    aggregate = (
        f"The id of the {name_words(event.entity)}." if event.entity else "What the event is about."
    )
    return {
        "type": "object",
        "description": f"The envelope of {event.name}.",
        "required": ["id", "type", "version", "aggregateId", "timestamp", "data"],
        "additionalProperties": False,
        "properties": {
            "id": {
                "type": "string",
                "format": "uuid",
                "description": "Unique per message; consumers skip an id they have processed.",
            },
            "type": {"type": "string", "const": event.name},
            "version": {"type": "integer", "const": event.version},
            "aggregateId": {"type": "string", "description": aggregate},
            "timestamp": {"type": "string", "format": "date-time"},
            "data": {"$ref": f"#/components/schemas/{name}Data"},
        },
    }


def _data(system: System, event: Event, shared: set[str]) -> Document:
    extra = {c.json_name: column_schema(c) for c in event.fields}
    required = [c.json_name for c in event.fields if not c.nullable and c.default is None]
    own: Document = {"type": "object", "properties": extra}
    if required:
        own["required"] = required
    entity = system.find_entity(event.entity) if event.entity else None
    if entity is None:
        if not event.declared:
            own["description"] = (
                f"Not declared yet: add `events.{event.name}` with `entity:` or `fields:`."
            )
        return own
    if entity.name in shared:
        view: Document = {"$ref": f"openapi.yaml#/components/schemas/{entity.name}"}
    else:
        columns = exposed_columns(system, entity)
        view = {
            "type": "object",
            "properties": {
                c.json_name: column_schema(c, read_only=c.server_owned) for c in columns
            },
            "required": [c.json_name for c in columns],
        }
    if not extra:
        return view
    return {"allOf": [view, own]}

"""Exports for other tools: the model as JSON, a Structurizr workspace, a Backstage catalog."""

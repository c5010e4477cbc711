"""archsmith: architecture as code for backend systems."""

__version__ = "0.1.0"

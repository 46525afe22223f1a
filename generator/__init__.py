"""qa-site: validates, scores and publishes adult social work quality reviews."""

__version__ = "0.1.0"

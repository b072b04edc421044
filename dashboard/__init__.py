"""CRI Dashboard: customer relationship investment analytics over CRM exports."""

__version__ = "0.1.0"

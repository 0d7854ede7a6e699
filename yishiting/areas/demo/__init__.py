"""The deterministic demo district (`yishiting demo`): see builder.demo_build."""

from .builder import DemoResult, demo_build, demo_district, demo_info
from .logins import DEMO_PASSWORD, PERSONAS, Login, demo_logins

__all__ = ["DEMO_PASSWORD", "PERSONAS", "DemoResult", "Login", "demo_build", "demo_district", "demo_info",
           "demo_logins"]

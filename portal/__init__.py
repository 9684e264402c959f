"""Kinerja Portal: performance management for the ASN of Kota Tangerang Selatan."""

import os

# Piccolo finds its engine and app registry through this module; set it before any table import.
os.environ.setdefault("PICCOLO_CONF", "portal.piccolo_conf")

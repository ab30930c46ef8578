"""The shipped corpus and training speeches, installed as package data: `shipped:NAME` in a config (docs/adapt.md)."""

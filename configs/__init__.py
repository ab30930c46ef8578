"""The shipped configs, installed as package data: `govspeech init-config` starts from default.toml."""

"""Inbound mail: raw RFC 822 messages turned into safe, structured values."""

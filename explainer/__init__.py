"""Kursk explainer: sourced claims, events and map layers, validated, and the figures built from them."""

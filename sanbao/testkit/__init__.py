"""Test support shared by every app's tests: the cast, the permission matrix, response helpers."""

"""Honest evaluation on gold data: each task reads its gold set, runs `analyze`, prints a table."""

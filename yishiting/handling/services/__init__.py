"""Writes of the handling app, one module per stage: notices (公), tasks (办), supervision (督), evaluation (评),
archive (备). Each write is one `<entity>_<verb>(*, actor, …)` function."""

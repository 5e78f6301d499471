-- Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
-- The `kurrentdb` profile's Kontor keeps its read models (and leader lock) in a database of its
-- own: read models belong to exactly one event log, and the default `kontor` database holds
-- those of the PostgreSQL-backed Kontor.
CREATE DATABASE kontor_kurrentdb OWNER kontor;

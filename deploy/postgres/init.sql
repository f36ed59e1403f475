-- Community Space: one role and one database per component, each database owned by
-- its own role and closed to every other role.
--
-- Run once by the postgres image's entrypoint (as the superuser, with psql) when the
-- data directory is empty: /docker-entrypoint-initdb.d/10-community-space.sql.
-- Passwords come from the container's environment (psql 15+ \getenv), never from
-- this file; docker-compose.yml passes the same values inside each database URL.
-- The roles are not superusers, so the extensions are created here.

\set ON_ERROR_STOP on

\getenv spaces_password CS_SPACES_DB_PASSWORD
\getenv reservations_password CS_RESERVATIONS_DB_PASSWORD
\getenv programs_password CS_PROGRAMS_DB_PASSWORD
\getenv notifications_password CS_NOTIFICATIONS_DB_PASSWORD
\getenv gateway_password CS_GATEWAY_DB_PASSWORD

-- Fail, naming the variables, rather than create a role without its password.
SELECT coalesce(string_agg(name, ', '), '') AS missing_passwords,
       count(*) > 0 AS some_password_missing
FROM (VALUES
    ('CS_SPACES_DB_PASSWORD', :{?spaces_password}),
    ('CS_RESERVATIONS_DB_PASSWORD', :{?reservations_password}),
    ('CS_PROGRAMS_DB_PASSWORD', :{?programs_password}),
    ('CS_NOTIFICATIONS_DB_PASSWORD', :{?notifications_password}),
    ('CS_GATEWAY_DB_PASSWORD', :{?gateway_password})
) AS given(name, is_set)
WHERE NOT is_set
\gset
\if :some_password_missing
    \warn 'Community Space: set the environment variables' :missing_passwords
    SELECT ('missing environment variables: ' || :'missing_passwords')::int AS stop_here;
\endif

CREATE ROLE cs_spaces LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
    CONNECTION LIMIT 50 PASSWORD :'spaces_password';
CREATE ROLE cs_reservations LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
    CONNECTION LIMIT 50 PASSWORD :'reservations_password';
CREATE ROLE cs_programs LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
    CONNECTION LIMIT 50 PASSWORD :'programs_password';
CREATE ROLE cs_notifications LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
    CONNECTION LIMIT 50 PASSWORD :'notifications_password';
CREATE ROLE cs_gateway LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
    CONNECTION LIMIT 50 PASSWORD :'gateway_password';

CREATE DATABASE cs_spaces OWNER cs_spaces ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE cs_reservations OWNER cs_reservations ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE cs_programs OWNER cs_programs ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE cs_notifications OWNER cs_notifications ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE cs_gateway OWNER cs_gateway ENCODING 'UTF8' TEMPLATE template0;

-- Only the owner (and the superuser) may connect to a component's database.
REVOKE ALL ON DATABASE cs_spaces FROM PUBLIC;
REVOKE ALL ON DATABASE cs_reservations FROM PUBLIC;
REVOKE ALL ON DATABASE cs_programs FROM PUBLIC;
REVOKE ALL ON DATABASE cs_notifications FROM PUBLIC;
REVOKE ALL ON DATABASE cs_gateway FROM PUBLIC;

-- Trigram indexes for the search of spaces by text; earthdistance (on cube) for "near me".
\connect cs_spaces
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE EXTENSION IF NOT EXISTS btree_gist;  -- opening intervals of a day must not overlap

-- The exclusion constraint that forbids overlapping reservations of one space.
\connect cs_reservations
CREATE EXTENSION IF NOT EXISTS btree_gist;

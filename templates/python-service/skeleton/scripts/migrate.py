"""The service's schema migration, run by the pipeline's deploy jobs when the
environment has a database: DATABASE_URL=postgresql://... python scripts/migrate.py

It can run any number of times: it creates what is missing and seeds the table
only while it is empty. Add the service's own tables here.
"""

import sys

from database import psql

SERVICE_NAME = "${{ values.name }}"

MIGRATION = """
BEGIN;
-- Two deploys of the same environment migrate one after the other.
SELECT pg_advisory_xact_lock(hashtext('service_greetings'));
CREATE TABLE IF NOT EXISTS service_greetings (
    id serial PRIMARY KEY,
    message text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO service_greetings (message)
SELECT :'greeting' WHERE NOT EXISTS (SELECT 1 FROM service_greetings)
RETURNING id;
COMMIT;
"""


def main():
    try:
        output = psql(MIGRATION, {"greeting": "Hello from " + SERVICE_NAME})
    except RuntimeError as error:
        sys.exit(f"Migration failed: {error}")
    # The lock's empty result comes first; an inserted row adds its id.
    seeded = len(output.split()) > 0
    state = "seeded its first row" if seeded else "it already had rows"
    print(f"Migration done: service_greetings is ready ({state})")


if __name__ == "__main__":
    main()

"""Smoke check of a deployed environment's database, run by the pipeline's
deploy jobs after the migration: DATABASE_URL=postgresql://... python scripts/smoke.py

It fails unless the database answers and the service's table is there.
"""

import sys

from database import psql


def main():
    try:
        count = int(psql("SELECT count(*) FROM service_greetings;"))
    except (RuntimeError, ValueError) as error:
        sys.exit(f"Smoke check failed: {error}")
    print(f"Smoke check passed: service_greetings has {count} row(s)")


if __name__ == "__main__":
    main()

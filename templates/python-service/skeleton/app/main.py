"""HTTP entry point for ${{ values.name }}.

Run locally with:

    uvicorn app.main:app --reload

The code sticks to FastAPI features that exist both in older releases
(FastAPI 0.92 with pydantic 1, as shipped by Debian 12) and in current
releases (pydantic 2), so it runs unchanged on either.
"""

from fastapi import FastAPI, Query
from pydantic import BaseModel

SERVICE_NAME = "${{ values.name }}"
SERVICE_DESCRIPTION = ${{ values.description | default("Python HTTP service " + values.name, true) | dump }}
MAX_NAME_LENGTH = 100


class HealthResponse(BaseModel):
    status: str


class HelloResponse(BaseModel):
    message: str


app = FastAPI(
    title=SERVICE_NAME,
    description=SERVICE_DESCRIPTION,
    version="0.1.0",
)


@app.get("/healthz", response_model=HealthResponse, tags=["health"])
def healthz() -> HealthResponse:
    """Liveness check: answers as long as the process can serve requests."""
    return HealthResponse(status="ok")


@app.get("/hello", response_model=HelloResponse, tags=["example"])
def hello(
    name: str = Query(
        "world",
        min_length=1,
        max_length=MAX_NAME_LENGTH,
        description="Who to greet (1 to 100 characters).",
    ),
) -> HelloResponse:
    """Example resource: greets the given name."""
    return HelloResponse(message="Hello, " + name)

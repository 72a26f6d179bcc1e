from fastapi.testclient import TestClient

from app.main import MAX_NAME_LENGTH, app

client = TestClient(app)


def test_healthz_returns_ok():
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_hello_greets_the_given_name():
    response = client.get("/hello", params={"name": "x"})
    assert response.status_code == 200
    assert response.json() == {"message": "Hello, x"}


def test_hello_defaults_to_world():
    response = client.get("/hello")
    assert response.status_code == 200
    assert response.json() == {"message": "Hello, world"}


def test_hello_accepts_a_name_at_the_length_limit():
    name = "a" * MAX_NAME_LENGTH
    response = client.get("/hello", params={"name": name})
    assert response.status_code == 200
    assert response.json() == {"message": "Hello, " + name}


def test_hello_rejects_a_name_that_is_too_long():
    response = client.get("/hello", params={"name": "a" * (MAX_NAME_LENGTH + 1)})
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert errors[0]["loc"] == ["query", "name"]


def test_hello_rejects_an_empty_name():
    response = client.get("/hello", params={"name": ""})
    assert response.status_code == 422


def test_unknown_path_returns_404():
    response = client.get("/does-not-exist")
    assert response.status_code == 404


def test_openapi_lists_the_endpoints():
    response = client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "${{ values.name }}"
    assert "/healthz" in schema["paths"]
    assert "/hello" in schema["paths"]

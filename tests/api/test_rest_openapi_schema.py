"""The OpenAPI schema and the docs page: generated from the code, every answer documented."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_openapi_3_with_the_bearer_scheme_on_every_operation(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"] == {
        "ApiKeyBearer": {"type": "http", "scheme": "bearer"}
    }
    operations = [op for methods in schema["paths"].values() for op in methods.values()]
    assert len(operations) == 9
    assert all(op["security"] == [{"ApiKeyBearer": []}] for op in operations)


def test_every_operation_documents_its_problems_as_problem_json(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            documented = {int(status) for status in operation["responses"]}
            expected = {400, 401, 422, 429, 500}
            if "{number}" in path:
                expected.add(404)
            if method != "get":
                expected |= {403, 409, 413}
            assert expected <= documented, (method, path)
            for status in expected:
                content = operation["responses"][str(status)]["content"]
                assert content == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])


def test_the_docs_page_uses_vendored_files_and_no_inline_script(client):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert f"/static/{asset}" in html
        assert finders.find(asset), asset
    assert "//cdn" not in html and "https://" not in html
    # The only <script> without src is the settings' JSON data block.
    assert html.count("<script") == 3
    assert '<script id="swagger-settings" type="application/json">' in html

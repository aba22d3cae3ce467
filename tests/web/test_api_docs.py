"""``/api/docs`` is a page of the app: every operation listed, nothing loaded from elsewhere."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_the_api_docs_list_every_operation_with_no_script_and_nothing_from_elsewhere(
    anonymous: TestClient,
) -> None:
    answer = anonymous.get("/api/docs")
    assert answer.status_code == 200
    html = answer.text
    assert "<script" not in html.split("</head>")[1]
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "cdn.jsdelivr" not in html
    schema = anonymous.get("/api/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in html, (method, path)
    assert "default-src 'self'" in answer.headers["content-security-policy"]

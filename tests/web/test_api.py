"""REST API behaviour over a real SQLite database built by the pipeline."""

from __future__ import annotations

from fastapi.testclient import TestClient

from storyline.web.app import create_app


def test_stories_are_paginated_with_stable_ids(client):
    first = client.get("/api/stories", params={"limit": 1}).json()
    assert first["total"] >= 2 and len(first["items"]) == 1
    again = client.get("/api/stories", params={"limit": 1}).json()
    assert again["items"][0]["id"] == first["items"][0]["id"]
    second = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert second["items"][0]["id"] != first["items"][0]["id"]


def test_story_detail_geojson_and_timeline(client):
    story_id = client.get("/api/stories").json()["items"][0]["id"]
    view = client.get(f"/api/stories/{story_id}").json()
    assert view["articles"] and "text" not in view["articles"][0]
    geo = client.get(f"/api/stories/{story_id}/geojson").json()
    assert geo["type"] == "FeatureCollection"
    for feature in geo["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    timeline = client.get(f"/api/stories/{story_id}/timeline").json()["items"]
    dates = [item["date"] for item in timeline]
    assert dates == sorted(dates)


def test_unknown_ids_are_404_with_a_message(client):
    response = client.get("/api/stories/doesnotexist")
    assert response.status_code == 404 and "doesnotexist" in response.json()["detail"]
    assert client.get("/api/entities/nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404


def test_filters_validate_input(client):
    assert client.get("/api/events", params={"date_from": "not a date"}).status_code == 422
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/articles", params={"limit": 10_000}).status_code == 422


def test_search_is_parameterized_and_finds_text(client):
    hits = client.get("/api/search", params={"q": "Essaouira"}).json()
    assert hits["total"] == 1
    # SQL and FTS syntax in a query are just words: no error, no injection.
    for nasty in ["' OR 1=1 --", '"unbalanced', "NEAR(a b", "*", "a AND OR"]:
        response = client.get("/api/search", params={"q": nasty})
        assert response.status_code == 200, nasty


def test_article_detail_has_records_with_spans(client):
    article_id = client.get("/api/articles", params={"q": "Essaouira"}).json()["items"][0]["id"]
    article = client.get(f"/api/articles/{article_id}").json()
    for mention in article["mentions"]:
        assert article["text"][mention["start_char"]:mention["end_char"]] == mention["text"]
    assert "raw_text" not in article


def test_exports_download(client):
    csv_response = client.get("/api/export/csv")
    assert csv_response.status_code == 200
    assert csv_response.text.splitlines()[0].startswith("event_id,event_date,time_precision,event_type")
    assert client.get("/api/export/geojson").json()["type"] == "FeatureCollection"
    assert client.get("/api/export/parquet").content[:4] == b"PAR1"
    assert client.get("/api/export/xml").status_code == 404


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/stories"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_server_is_read_only_without_token(client):
    response = client.post("/api/ingest", content=b'{"text": "x"}')
    assert response.status_code == 403


def test_ingest_needs_token_and_enforces_size(web_db, tmp_path):
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    app_client = TestClient(create_app(db, ingest_token="s3cret", max_ingest_bytes=2000))
    assert app_client.post("/api/ingest", content=b"{}", headers={"Authorization": "Bearer wrong"}).status_code == 401
    big = b'{"text": "' + b"a" * 5000 + b'"}'
    assert app_client.post("/api/ingest", content=big,
                           headers={"Authorization": "Bearer s3cret"}).status_code == 413
    line = ('{"text": "Storm damage closed the port of Agadir on Friday, officials said. '
            'Two fishermen were missing.", "outlet": "Test Wire", "published": "2021-02-05"}')
    response = app_client.post("/api/ingest", content=line.encode(), headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 202 and response.json()["stored"] == 1


def test_pages_escape_article_text(client):
    article_id = client.get("/api/search", params={"q": "convoy"}).json()["items"][0]["id"]
    page = client.get(f"/articles/{article_id}").text
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "<img src=x" not in page
    listing = client.get("/").text
    assert "<script>window.__pwned" not in listing


def test_api_docs_work_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()  # no CDN: the page works on a laptop with no network
    assert client.get("/static/vendor/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "storyline"


def test_a_resolved_pronoun_speaker_is_named_in_the_story_view_and_page(demo_db):
    client = TestClient(create_app(demo_db))
    story_id = client.get("/api/stories").json()["items"][0]["id"]
    claims = client.get(f"/api/stories/{story_id}").json()["claims"]
    resolved = [c for c in claims if c["speaker_kind"] == "pronoun" and c["speaker_entity_id"]]
    assert resolved, "the demo has quotes closed by 'he said' after a named speaker"
    for claim in resolved:
        entity = client.get(f"/api/entities/{claim['speaker_entity_id']}").json()
        assert claim["speaker_name"] == entity["entity"]["name"] != claim["speaker"]
    page = client.get(f"/stories/{story_id}").text
    assert f"<strong>{resolved[0]['speaker_name']}</strong>" in page

"""The web app: REST API (/api, OpenAPI at /docs) and server-rendered pages over one storyline database.

Article text is attacker-controlled: templates autoescape everything, a strict Content-Security-Policy
forbids inline scripts and foreign origins, every query is parameterized, and the app is read-only unless
an ingest token is configured.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from storyline.errors import StorylineError
from storyline.store import Store

STATIC_DIR = Path(__file__).parent / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# /docs (Swagger UI) starts itself with an inline script, so it is served without the app's strict policy;
# its assets are vendored, so it needs no CDN either.
DOCS_PATHS = ("/docs",)


def create_app(db: str | Path, *, ingest_token: str | None = None, max_ingest_bytes: int = 2_000_000) -> FastAPI:
    # /docs is served from vendored Swagger UI files (FastAPI's default loads them from a CDN).
    app = FastAPI(title="storyline", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Stories, articles, entities, events, claims and places from a storyline database.")
    app.state.store = Store(db)
    app.state.ingest_token = ingest_token
    app.state.max_ingest_bytes = max_ingest_bytes

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # noqa: ANN001, ANN202 - ASGI middleware
        response = await call_next(request)
        if not request.url.path.startswith(DOCS_PATHS):
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(StorylineError)
    async def storyline_error(_request: Request, exc: StorylineError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    from storyline.web.api import router as api_router
    from storyline.web.pages import router as pages_router

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="storyline API",
                                   swagger_js_url="/static/vendor/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger/swagger-ui.css",
                                   swagger_favicon_url="/static/vendor/swagger/favicon-32x32.png")

    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app

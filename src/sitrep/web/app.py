"""Build the read-only web app: the JSON API under /api, the dashboard at /, one error shape.

Every error the app returns, whatever raised it (an unknown path, a bad query parameter, a missing
event, a crash), is `{"ok": false, "error": str, "status": int}`, built by `error_response` alone.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from sitrep.errors import SitrepError
from sitrep.store import Store, open_store
from sitrep.web.api import router as api_router
from sitrep.web.dashboard import STATIC_DIR, mount_dashboard

if TYPE_CHECKING:
    from pathlib import Path

    from sitrep.config import Settings

logger = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The dashboard loads only its own files: no CDN, no inline script, so injected markup cannot run.
# /docs is left out: its Swagger UI (vendored from npm, served from /static/vendor) runs an inline
# bootstrap script that this policy would block.
DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """Return the one error shape, `{"ok": false, "error": message, "status": status}`."""
    return JSONResponse(
        {"ok": False, "error": message, "status": status}, status_code=status, headers=headers
    )


def _validation_message(exc: RequestValidationError) -> str:
    """Name each bad parameter, say what was wrong and what was given."""
    parts = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        name = ".".join(loc) or "request"
        given = error.get("input")
        shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
        parts.append(f"{name}: {error.get('msg', 'invalid value')}{shown}")
    return "invalid parameter " + "; ".join(parts)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == HTTPStatus.NOT_FOUND and exc.detail == HTTPStatus.NOT_FOUND.phrase:
        message = f"no such path: {request.url.path}"
    elif status == HTTPStatus.METHOD_NOT_ALLOWED:
        message = (
            f"{request.method} is not allowed on {request.url.path}: this server is read-only (GET only)"
        )
    else:
        message = str(exc.detail) if exc.detail else HTTPStatus(status).phrase
    return error_response(status, message, headers=dict(exc.headers) if exc.headers else None)


async def _on_validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response(HTTPStatus.BAD_REQUEST, _validation_message(exc))


async def _on_sitrep_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SitrepError)
    logger.error("%s %s failed: %s", request.method, request.url.path, exc)
    message = f"{exc} {exc.hint}".strip()
    return error_response(HTTPStatus.SERVICE_UNAVAILABLE, message)


async def _on_crash(request: Request, exc: Exception) -> Response:
    logger.exception("%s %s crashed", request.method, request.url.path, exc_info=exc)
    return error_response(
        HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error ({type(exc).__name__}); see the server log"
    )


class ReadOnlyAndHeaders(BaseHTTPMiddleware):
    """Refuse every method but GET/HEAD/OPTIONS, and add safety headers to every response."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.method not in READ_METHODS:
            response: Response = error_response(
                HTTPStatus.METHOD_NOT_ALLOWED,
                f"{request.method} is not allowed on {request.url.path}: this server is read-only (GET only)",
                headers={"Allow": "GET, HEAD"},
            )
        else:
            response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        path = request.url.path
        if path == "/" or path.startswith("/static/"):
            response.headers.setdefault("Content-Security-Policy", DASHBOARD_CSP)
        return response


def create_app(settings: Settings, store: Store | None = None, static_dir: Path = STATIC_DIR) -> FastAPI:
    """Build the app over `store` (opened from `settings.database_url` when not given)."""
    if store is None:
        store = open_store(settings.database_url)
    app = FastAPI(
        title="sitrep",
        summary="Merged, source-attributed security events: read-only API and dashboard.",
        version="0.1.0",
        redoc_url=None,  # one docs page is enough
        docs_url=None,  # served below from the vendored Swagger UI: FastAPI's default uses a CDN
    )
    app.state.store = store
    app.state.settings = settings
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(SitrepError, _on_sitrep_error)
    app.add_exception_handler(Exception, _on_crash)
    app.add_middleware(ReadOnlyAndHeaders)
    app.include_router(api_router)
    mount_dashboard(app, static_dir)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """The OpenAPI docs page, from Swagger UI files sitrep serves itself."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="sitrep API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    return app

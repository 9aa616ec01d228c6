//! Serves the built book and tells open pages to reload after each rebuild,
//! and to show a failed rebuild's problems (every HTML page gets a small
//! script for that as it is served; the built book itself never has it).

use crate::rebuild::RELOAD_ENDPOINT;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Response};
use axum::middleware::Next;
use axum::routing::get;
use axum::Router;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{broadcast, watch, RwLock, RwLockWriteGuard};
use tower_http::services::{ServeDir, ServeFile};

const PROBLEMS_ENDPOINT: &str = "/__codetabs/problems";
const OVERLAY_SCRIPT: &str = "/__codetabs/overlay.js";
const OVERLAY_TAG: &str = "<script src=\"/__codetabs/overlay.js\"></script>\n";

/// The last build's state (`problems::ok` or `problems::failed`), for pages
/// open now and pages opened later.
#[derive(Clone)]
pub struct BuildState(watch::Sender<String>);

impl BuildState {
    pub fn new() -> Self {
        BuildState(watch::channel(crate::problems::ok()).0)
    }

    pub fn set(&self, state: String) {
        self.0.send_replace(state);
    }
}

/// The output folder, between builds. mdBook empties it before writing the
/// new pages, so a page that asked for a file (a font, a style sheet) during
/// a rebuild got a 404 from a folder half written. Requests read the folder
/// under this lock and a rebuild holds it for writing: such a request waits
/// for the new file instead.
#[derive(Clone)]
pub struct OutputLock(Arc<RwLock<()>>);

impl OutputLock {
    pub fn new() -> Self {
        OutputLock(Arc::new(RwLock::new(())))
    }

    /// Waits for the requests reading the folder now, then keeps new ones
    /// waiting until the guard is dropped. From a thread outside the server's
    /// runtime.
    pub fn rebuilding(&self) -> RwLockWriteGuard<'_, ()> {
        self.0.blocking_write()
    }
}

/// Sends "reload" to every page connected at the time.
#[derive(Clone)]
pub struct Reloader(broadcast::Sender<()>);

impl Reloader {
    pub fn new() -> Self {
        Reloader(broadcast::channel(16).0)
    }

    /// How many pages were told.
    pub fn reload(&self) -> usize {
        self.0.send(()).unwrap_or(0)
    }
}

/// Binds `addr` now (so a taken port fails before anything else starts) and
/// returns the address bound and the future that serves.
pub async fn bind(
    addr: SocketAddr,
    dir: PathBuf,
    not_found: &str,
    reloader: Reloader,
    state: BuildState,
    output: OutputLock,
) -> anyhow::Result<(
    SocketAddr,
    impl std::future::Future<Output = std::io::Result<()>>,
)> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e} (try another --port)"))?;
    let bound = listener.local_addr()?;
    let files = ServeDir::new(&dir).not_found_service(ServeFile::new(dir.join(not_found)));
    let app = Router::new()
        .route(
            &format!("/{RELOAD_ENDPOINT}"),
            get(move |ws: WebSocketUpgrade| {
                let rx = reloader.0.subscribe();
                async move { ws.on_upgrade(move |socket| wait_and_reload(socket, rx)) }
            }),
        )
        .route(
            PROBLEMS_ENDPOINT,
            get(move |ws: WebSocketUpgrade| {
                let rx = state.0.subscribe();
                async move { ws.on_upgrade(move |socket| report_builds(socket, rx)) }
            }),
        )
        .route(
            OVERLAY_SCRIPT,
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    include_str!("overlay.js"),
                )
            }),
        )
        .fallback_service(files)
        .layer(axum::middleware::map_response(with_overlay_script))
        .layer(axum::middleware::map_response(fetched_every_time))
        .layer(axum::middleware::from_fn_with_state(output, between_builds));
    Ok((bound, axum::serve(listener, app).into_future()))
}

/// A request, answered while no rebuild is writing the folder. The lock is
/// held until the answer is ready: a file is open by then (and an HTML page
/// read whole, for its overlay script), so the next rebuild cannot take it
/// away half sent.
async fn between_builds(
    State(output): State<OutputLock>,
    request: Request,
    next: Next,
) -> Response<Body> {
    let _reading = output.0.read().await;
    next.run(request).await
}

/// Every answer is fetched anew. A rebuild rewrites files within the same
/// second as the build before it (0.1–0.3 s apart), and `Last-Modified` counts
/// whole seconds: a page reloaded after an edit was answered `304 Not
/// Modified` and the browser showed the old page.
async fn fetched_every_time(mut response: Response<Body>) -> Response<Body> {
    let headers = response.headers_mut();
    headers.remove(header::LAST_MODIFIED);
    headers.remove(header::ETAG);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An HTML page as served: the overlay script added before `</body>`.
async fn with_overlay_script(response: Response<Body>) -> Response<Body> {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let html = String::from_utf8_lossy(&bytes);
    let page = match html.rfind("</body>") {
        Some(at) => format!("{}{OVERLAY_TAG}{}", &html[..at], &html[at..]),
        None => format!("{html}{OVERLAY_TAG}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Ok(length) = HeaderValue::from_str(&page.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, length);
    }
    Response::from_parts(parts, Body::from(page))
}

/// One open page: the last build's state now, then every new one.
async fn report_builds(mut socket: WebSocket, mut rx: watch::Receiver<String>) {
    loop {
        let state = rx.borrow_and_update().clone();
        if socket.send(Message::Text(state.into())).await.is_err() {
            return;
        }
        if rx.changed().await.is_err() {
            return;
        }
    }
}

/// One open page: holds its socket until the next rebuild, then says so.
async fn wait_and_reload(mut socket: WebSocket, mut rx: broadcast::Receiver<()>) {
    if rx.recv().await.is_ok() {
        let _ = socket.send(Message::Text("reload".into())).await;
    }
}

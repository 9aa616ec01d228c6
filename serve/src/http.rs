//! Serves the built book and tells open pages to reload after each rebuild.

use crate::rebuild::RELOAD_ENDPOINT;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::routing::get;
use axum::Router;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::sync::broadcast;
use tower_http::services::{ServeDir, ServeFile};

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
        .fallback_service(files);
    Ok((bound, axum::serve(listener, app).into_future()))
}

/// One open page: holds its socket until the next rebuild, then says so.
async fn wait_and_reload(mut socket: WebSocket, mut rx: broadcast::Receiver<()>) {
    if rx.recv().await.is_ok() {
        let _ = socket.send(Message::Text("reload".into())).await;
    }
}

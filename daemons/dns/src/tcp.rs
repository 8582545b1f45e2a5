//! TCP (RFC 7766): 2-byte length framing, several queries per connection answered in order, answers written
//! together once no further complete query is buffered, an idle timeout, a connection limit.

use std::sync::Arc;

use arc_swap::ArcSwap;
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::timeout;

use crate::config::Limits;
use crate::respond::{Reply, Transport, respond};
use crate::table::AnswerTable;

/// Pause after a failed accept (out of file descriptors, for example).
const ACCEPT_BACKOFF: std::time::Duration = std::time::Duration::from_millis(100);

pub(crate) async fn accept(
    listener: TcpListener,
    table: Arc<ArcSwap<AnswerTable>>,
    limits: Limits,
    slots: Arc<Semaphore>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "TCP accept failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            _ = stopped.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::debug!("TCP connection limit reached, closing a new connection");
            continue;
        };
        let table = table.clone();
        let limits = limits.clone();
        connections.spawn(async move {
            if let Err(e) = serve(stream, &table, &limits).await {
                tracing::debug!(error = %e, "TCP connection ended");
            }
            drop(slot);
        });
    }
    connections.shutdown().await;
}

async fn serve(stream: TcpStream, table: &ArcSwap<AnswerTable>, limits: &Limits) -> std::io::Result<()> {
    let _ = stream.set_nodelay(true);
    let idle = limits.tcp_idle_timeout();
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::with_capacity(16 * 1024, read);
    let mut query = Vec::new();
    let mut out = Vec::new();
    let mut pending = Vec::new();
    loop {
        let mut prefix = [0u8; 2];
        match timeout(idle, read.read_exact(&mut prefix)).await {
            Err(_) => break, // idle
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Ok(Err(e)) => return Err(e),
            Ok(Ok(_)) => {}
        }
        query.resize(usize::from(u16::from_be_bytes(prefix)), 0);
        match timeout(idle, read.read_exact(&mut query)).await {
            Err(_) => break,
            Ok(result) => {
                result?;
            }
        }
        if respond(&table.load(), &query, Transport::Tcp, &mut out) == Reply::Drop {
            break; // not DNS: end the connection after what was answered
        }
        let Ok(len) = u16::try_from(out.len()) else {
            break;
        };
        pending.extend_from_slice(&len.to_be_bytes());
        pending.extend_from_slice(&out);
        if read.buffer().len() < 2 {
            flush(&mut write, &mut pending, idle).await?;
        }
    }
    flush(&mut write, &mut pending, idle).await?;
    let _ = write.shutdown().await;
    Ok(())
}

async fn flush(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    pending: &mut Vec<u8>,
    idle: std::time::Duration,
) -> std::io::Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    match timeout(idle, write.write_all(pending)).await {
        Err(_) => Err(std::io::ErrorKind::TimedOut.into()),
        Ok(result) => {
            pending.clear();
            result
        }
    }
}

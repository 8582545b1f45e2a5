//! UDP: blocking worker threads sharing one socket (the kernel hands each datagram to one of them), so no
//! async machinery sits between `recvfrom`, [`respond`] and `sendto`.

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;

use crate::respond::{Reply, Transport, respond};
use crate::table::AnswerTable;

/// How often an idle worker looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(100);
/// Largest query read; longer datagrams are cut (and then usually FORMERR).
const MAX_QUERY: usize = 4096;

pub(crate) fn spawn(
    socket: UdpSocket,
    n: usize,
    table: Arc<ArcSwap<AnswerTable>>,
    payload: u16,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    socket.set_read_timeout(Some(STOP_POLL))?;
    std::thread::Builder::new()
        .name(format!("dnsd-udp-{n}"))
        .spawn(move || serve(&socket, &table, payload, &stop))
}

fn serve(socket: &UdpSocket, table: &ArcSwap<AnswerTable>, payload: u16, stop: &AtomicBool) {
    let mut query = [0u8; MAX_QUERY];
    let mut out = Vec::with_capacity(usize::from(payload));
    while !stop.load(Ordering::Relaxed) {
        let (len, peer) = match socket.recv_from(&mut query) {
            Ok(received) => received,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) =>
            {
                continue;
            }
            Err(e) => {
                // e.g. ECONNREFUSED left by an ICMP error for an earlier answer
                tracing::debug!(error = %e, "UDP receive failed");
                continue;
            }
        };
        let reply = respond(&table.load(), &query[..len], Transport::Udp(payload), &mut out);
        if reply == Reply::Send
            && let Err(e) = socket.send_to(&out, peer)
        {
            tracing::debug!(error = %e, "UDP send failed");
        }
    }
}

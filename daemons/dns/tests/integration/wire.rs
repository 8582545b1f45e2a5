//! Raw clients: pipelined TCP, malformed packets over UDP and TCP, idle timeout and connection limit.

use std::net::SocketAddr;
use std::time::Duration;

use tiwire_dns::hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use tiwire_dns::hickory_proto::rr::{Name, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::timeout;

use crate::{BENCH_PLAN, SEED_PLAN, config, serve, vector};

pub(crate) fn query(id: u16, name: &str, qtype: RecordType) -> Vec<u8> {
    let mut m = Message::new(id, MessageType::Query, OpCode::Query);
    m.add_query(Query::query(Name::from_ascii(name).unwrap(), qtype));
    m.set_edns(Edns::new());
    m.to_vec().unwrap()
}

pub(crate) async fn udp_ask(socket: &UdpSocket, addr: SocketAddr, q: &[u8]) -> Option<Message> {
    socket.send_to(q, addr).await.unwrap();
    let mut buf = vec![0u8; 65535];
    let (n, _) = timeout(Duration::from_millis(1000), socket.recv_from(&mut buf))
        .await
        .ok()?
        .unwrap();
    Some(Message::from_vec(&buf[..n]).unwrap())
}

async fn read_framed(stream: &mut TcpStream) -> Option<Message> {
    let mut len = [0u8; 2];
    timeout(Duration::from_secs(2), stream.read_exact(&mut len))
        .await
        .ok()?
        .ok()?;
    let mut buf = vec![0u8; usize::from(u16::from_be_bytes(len))];
    stream.read_exact(&mut buf).await.unwrap();
    Some(Message::from_vec(&buf).unwrap())
}

fn framed(q: &[u8]) -> Vec<u8> {
    let mut out = u16::try_from(q.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(q);
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn tcp_pipelines_queries_and_answers_in_order() {
    let running = serve(BENCH_PLAN).await;
    let mut stream = TcpStream::connect(running.addr).await.unwrap();
    let questions = [
        ("_isakmp._udp.ti-extern.anbieter-vpn.example.", RecordType::SRV, 50),
        ("konz01.ham.anbieter-vpn.example.", RecordType::TXT, 1),
        ("nothing.anbieter-vpn.example.", RecordType::A, 0),
        ("konz02.ber.anbieter-vpn.example.", RecordType::AAAA, 1),
        ("anbieter-vpn.example.", RecordType::NS, 3),
    ];
    // all in one write, twice over: 10 queries in flight on one connection
    let mut batch = Vec::new();
    for round in 0..2u16 {
        for (i, (name, qtype, _)) in questions.iter().enumerate() {
            batch.extend(framed(&query(round * 100 + u16::try_from(i).unwrap(), name, *qtype)));
        }
    }
    stream.write_all(&batch).await.unwrap();
    for round in 0..2u16 {
        for (i, (name, qtype, count)) in questions.iter().enumerate() {
            let r = read_framed(&mut stream).await.expect("an answer");
            assert_eq!(r.metadata.id, round * 100 + u16::try_from(i).unwrap());
            assert_eq!(r.queries[0].name().to_ascii(), *name);
            assert_eq!(r.queries[0].query_type(), *qtype);
            assert_eq!(r.answers.len(), *count, "{name}");
            assert!(!r.metadata.truncation);
        }
    }
    // a query split over several writes
    let q = framed(&query(777, "konz01.ham.anbieter-vpn.example.", RecordType::A));
    for chunk in q.chunks(5) {
        stream.write_all(chunk).await.unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(read_framed(&mut stream).await.unwrap().metadata.id, 777);
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn udp_answers_keep_the_case_of_the_question() {
    let running = serve(SEED_PLAN).await;
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let r = udp_ask(
        &socket,
        running.addr,
        &query(11, "VPNK1.Ham.TI-vpn-zugd.Anbieter.DE.", RecordType::A),
    )
    .await
    .unwrap();
    assert_eq!(r.queries[0].name().to_ascii(), "VPNK1.Ham.TI-vpn-zugd.Anbieter.DE.");
    assert_eq!(r.answers.len(), 1);
    assert!(r.metadata.authoritative);
    running.shutdown().await;
}

fn malformed() -> Vec<(&'static str, Vec<u8>)> {
    let good = query(0x4242, "anbieter.de.", RecordType::SOA);
    let mut cases = vec![
        ("empty", vec![]),
        ("truncated header", good[..7].to_vec()),
        ("header only", good[..12].to_vec()),
        ("name cut", good[..15].to_vec()),
        ("bad label pointer", {
            let mut q = good[..12].to_vec();
            q.extend_from_slice(&[0xc0, 0xff, 0, 1, 0, 1]);
            q
        }),
        ("pointer to itself", {
            let mut q = good[..12].to_vec();
            q.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]);
            q
        }),
        ("huge counts", {
            let mut q = good.clone();
            q[4..12].fill(0xff);
            q
        }),
        ("OPT with an overlong RDATA", {
            let mut q = good.clone();
            let n = q.len();
            q[n - 2..].copy_from_slice(&[0xff, 0xff]);
            q
        }),
        ("a response", {
            let mut q = good.clone();
            q[2] |= 0x80;
            q
        }),
        ("all ones", vec![0xff; 600]),
    ];
    cases.push(("long label run", {
        let mut q = good[..12].to_vec();
        q.extend(std::iter::repeat_n(63u8, 300));
        q
    }));
    cases
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_packets_never_stop_the_server() {
    let running = serve(SEED_PLAN).await;
    let addr = running.addr;
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    for (what, packet) in malformed() {
        socket.send_to(&packet, addr).await.unwrap();
        let mut buf = [0u8; 2048];
        if let Ok(Ok((n, _))) = timeout(Duration::from_millis(200), socket.recv_from(&mut buf)).await {
            let r = Message::from_vec(&buf[..n]).unwrap_or_else(|e| panic!("{what}: our answer does not parse: {e}"));
            assert_eq!(r.metadata.message_type, MessageType::Response, "{what}");
            assert_ne!(r.metadata.response_code, ResponseCode::NoError, "{what}");
        }
        // still serving
        let ok = udp_ask(&socket, addr, &query(1, "anbieter.de.", RecordType::SOA)).await;
        assert_eq!(ok.expect(what).answers.len(), 1, "{what}");
    }
    // over TCP: each on its own connection; the server answers or closes, and keeps serving
    for (what, packet) in malformed() {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let mut bytes = framed(&packet);
        if what == "huge counts" {
            bytes[..2].copy_from_slice(&[0xff, 0xff]); // a length prefix promising more than follows
        }
        stream.write_all(&bytes).await.unwrap();
        if what != "huge counts" {
            let _ = read_framed(&mut stream).await;
        }
        drop(stream);
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(&framed(&query(2, "anbieter.de.", RecordType::SOA)))
            .await
            .unwrap();
        assert_eq!(read_framed(&mut stream).await.expect(what).answers.len(), 1, "{what}");
    }
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_connections_are_closed_and_the_limit_holds() {
    let config = config(
        &vector(SEED_PLAN),
        "[limits]\ntcp_idle_timeout_ms = 300\ntcp_max_connections = 2\n",
    );
    let running = tiwire_dnsd::start(config).await.unwrap();
    let addr = running.addr;
    let mut first = TcpStream::connect(addr).await.unwrap();
    let _second = TcpStream::connect(addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    // the third is closed at once
    let mut third = TcpStream::connect(addr).await.unwrap();
    let _ = third
        .write_all(&framed(&query(3, "anbieter.de.", RecordType::SOA)))
        .await;
    assert!(read_framed(&mut third).await.is_none());
    // the first still works, then goes idle and is closed
    first
        .write_all(&framed(&query(4, "anbieter.de.", RecordType::SOA)))
        .await
        .unwrap();
    assert_eq!(read_framed(&mut first).await.unwrap().metadata.id, 4);
    let mut buf = [0u8; 1];
    let closed = timeout(Duration::from_secs(2), first.read(&mut buf)).await.unwrap();
    assert_eq!(closed.unwrap(), 0, "idle connection closed by the server");
    // slots are free again
    tokio::time::sleep(Duration::from_millis(400)).await;
    let mut again = TcpStream::connect(addr).await.unwrap();
    again
        .write_all(&framed(&query(5, "anbieter.de.", RecordType::SOA)))
        .await
        .unwrap();
    assert_eq!(read_framed(&mut again).await.unwrap().metadata.id, 5);
    running.shutdown().await;
}

//! The responder: one query in, at most one response out, from the [`AnswerTable`]. Pure (no I/O, no clock),
//! so the UDP and TCP loops, the unit tests and the fuzz target run the same code.
//!
//! Per query it reads the header, the question (lower-casing the name into a stack buffer) and an optional
//! OPT record, looks the question up, copies the precomputed bytes and patches the ID, RD and CD (copied),
//! the question as sent (case included, RFC 4343) and the OPT record. Rules:
//!
//! | query | response |
//! |---|---|
//! | shorter than a header, or a response (QR=1) | nothing (not ours to answer; no reflection) |
//! | opcode other than QUERY | NOTIMP, header only |
//! | QDCOUNT ≠ 1, answer/authority records, a question or OPT that does not parse, a second additional record, an OPT that is not at the root | FORMERR (question echoed when it was readable) |
//! | EDNS version > 0 | BADVERS with our OPT (RFC 6891 §6.1.3) |
//! | class other than IN; type ANY, AXFR, IXFR, MAILA, MAILB | REFUSED: we hand out no zone transfers and answer ANY with REFUSED rather than an RFC 8482 synthesis, so ANY cannot amplify |
//! | a name outside our zones | REFUSED (we do not recurse; RA is never set) |
//! | a name in a zone that owns no records of the type | NODATA: NOERROR, SOA in authority |
//! | a name that does not exist in a zone | NXDOMAIN, SOA in authority |
//!
//! Sizes: over UDP the limit is 512 without EDNS and min(client's payload, ours) with it (at least 512). An
//! answer that does not fit goes out without its additional section if that fits, else as header + question
//! (+ OPT) with TC=1 — never a partial RRset, never bigger than the client allows. Over TCP everything fits
//! (answers are at most 65535 bytes when built). TSIG and EDNS options other than the header are not
//! implemented: options are ignored and none are sent.
//!
//! DNSSEC: when the table is signed and the query's OPT has DO=1, the signed answers are used (RRSIGs, NSEC
//! proofs; see the `table` module) and our OPT copies the DO bit (RFC 3225 §3). The same size rules apply, so
//! signed answers set TC=1 sooner. AD is never set (we are authoritative, not validating).

use crate::table::{AnswerTable, Found};

/// How the query came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// UDP; the value is the EDNS payload size we announce and the most we send.
    Udp(u16),
    /// TCP (2-byte length prefix, up to 65535 bytes).
    Tcp,
}

/// Whether to send what [`respond`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum Reply {
    /// Send the response.
    Send,
    /// Send nothing (not a DNS query we answer).
    Drop,
}

const HEADER: usize = 12;
const OPT_LEN: usize = 11;
const TYPE_OPT: u16 = 41;
const CLASS_IN: u16 = 1;
/// Our OPT answers carry this payload size unless the transport says otherwise.
const TCP_PAYLOAD: u16 = 1232;

/// RCODEs (RFC 1035 §4.1.1, RFC 6891 §9).
mod rcode {
    pub(super) const FORMERR: u8 = 1;
    pub(super) const NOTIMP: u8 = 4;
    pub(super) const REFUSED: u8 = 5;
    /// BADVERS is 16: extended RCODE 1 in the OPT record, 0 in the header.
    pub(super) const BADVERS_HIGH: u8 = 1;
}

struct Edns {
    payload: u16,
    version: u8,
    dnssec_ok: bool,
}

/// The OPT record of our response: payload size and the DO bit.
#[derive(Clone, Copy)]
struct Opt {
    payload: u16,
    dnssec_ok: bool,
}

/// Answers `query` from `table` into `out` (cleared first). The function never panics on any input.
pub fn respond(table: &AnswerTable, query: &[u8], transport: Transport, out: &mut Vec<u8>) -> Reply {
    out.clear();
    if query.len() < HEADER || query[2] & 0x80 != 0 {
        return Reply::Drop;
    }
    let opcode = (query[2] >> 3) & 0x0f;
    if opcode != 0 {
        header_only(query, rcode::NOTIMP, out);
        return Reply::Send;
    }
    let count = |at: usize| u16::from_be_bytes([query[at], query[at + 1]]);
    let (qdcount, ancount, nscount, arcount) = (count(4), count(6), count(8), count(10));
    if qdcount != 1 || ancount != 0 || nscount != 0 || arcount > 1 {
        header_only(query, rcode::FORMERR, out);
        return Reply::Send;
    }
    let mut name = [0u8; 255];
    let Some(name_len) = read_name(query, &mut name) else {
        header_only(query, rcode::FORMERR, out);
        return Reply::Send;
    };
    let question_end = HEADER + name_len + 4;
    if query.len() < question_end {
        header_only(query, rcode::FORMERR, out);
        return Reply::Send;
    }
    let qtype = u16::from_be_bytes([query[question_end - 4], query[question_end - 3]]);
    let qclass = u16::from_be_bytes([query[question_end - 2], query[question_end - 1]]);
    let question = &query[HEADER..question_end];

    let edns = if arcount == 1 {
        match read_opt(&query[question_end..]) {
            Some(edns) => Some(edns),
            None => {
                error(query, question, None, rcode::FORMERR, 0, out);
                return Reply::Send;
            }
        }
    } else {
        None
    };
    let our_payload = match transport {
        Transport::Udp(payload) => payload,
        Transport::Tcp => TCP_PAYLOAD,
    };
    if let Some(e) = &edns
        && e.version > 0
    {
        let opt = Opt {
            payload: our_payload,
            dnssec_ok: false,
        };
        error(query, question, Some(opt), 0, rcode::BADVERS_HIGH, out);
        return Reply::Send;
    }
    let dnssec = table.is_signed() && edns.as_ref().is_some_and(|e| e.dnssec_ok);
    let opt = edns.as_ref().map(|_| Opt {
        payload: our_payload,
        dnssec_ok: dnssec,
    });
    // ANY (255), AXFR (252), IXFR (251), MAILB (253), MAILA (254); OPT (41) is no question.
    if qtype == TYPE_OPT {
        error(query, question, opt, rcode::FORMERR, 0, out);
        return Reply::Send;
    }
    if qclass != CLASS_IN || (251..=255).contains(&qtype) {
        error(query, question, opt, rcode::REFUSED, 0, out);
        return Reply::Send;
    }

    let limit = match transport {
        Transport::Tcp => usize::from(u16::MAX),
        Transport::Udp(ours) => match &edns {
            None => 512,
            Some(e) => usize::from(e.payload.clamp(512, ours.max(512))),
        },
    };
    let opt_len = if opt.is_some() { OPT_LEN } else { 0 };
    match table.lookup(&name[..name_len], qtype, dnssec) {
        Found::NotOurs => error(query, question, opt, rcode::REFUSED, 0, out),
        Found::NxDomain(authority) => {
            if question_end + authority.len() + opt_len > limit {
                truncated(query, question, opt, out);
            } else {
                out.extend_from_slice(&query[..HEADER]);
                out.extend_from_slice(question);
                for part in authority.parts {
                    out.extend_from_slice(part);
                }
                set_header(out, query, 0x04, 3);
                let [n0, n1] = authority.count.to_be_bytes();
                out[4..12].copy_from_slice(&[0, 1, 0, 0, n0, n1, 0, 0]);
                push_opt(out, opt, 0);
            }
        }
        Found::Answer(prepared) => {
            let fits = |bytes: &[u8]| bytes.len() + opt_len <= limit;
            let bytes = if fits(&prepared.full) {
                Some(&prepared.full)
            } else {
                prepared.without_additional.as_ref().filter(|b| fits(b))
            };
            match bytes {
                Some(bytes) if bytes.len() >= question_end => {
                    out.extend_from_slice(bytes);
                    // The question as sent: same length as the lower-cased key, type and class included.
                    out[HEADER..question_end].copy_from_slice(question);
                    let flags = out[2] & 0x04;
                    let rcode = out[3] & 0x0f;
                    set_header(out, query, flags, rcode);
                    push_opt(out, opt, 0);
                }
                _ => truncated(query, question, opt, out),
            }
        }
    }
    Reply::Send
}

/// Reads the uncompressed question name at offset 12 into `lower` (lower-cased); returns its wire length.
/// Compression pointers, extended label types and names over 255 bytes are errors.
fn read_name(query: &[u8], lower: &mut [u8; 255]) -> Option<usize> {
    let mut at = HEADER;
    let mut len = 0usize;
    loop {
        let label = usize::from(*query.get(at)?);
        if label & 0xc0 != 0 {
            return None;
        }
        if len + 1 + label > lower.len() {
            return None;
        }
        let bytes = query.get(at..at + 1 + label)?;
        for (dst, src) in lower[len..len + 1 + label].iter_mut().zip(bytes) {
            *dst = src.to_ascii_lowercase();
        }
        len += 1 + label;
        at += 1 + label;
        if label == 0 {
            return Some(len);
        }
    }
}

/// Reads the one additional record, which must be an OPT at the root with an RDATA inside the message.
/// Bytes after it are ignored.
fn read_opt(rest: &[u8]) -> Option<Edns> {
    let rr = rest.get(..OPT_LEN)?;
    if rr[0] != 0 || u16::from_be_bytes([rr[1], rr[2]]) != TYPE_OPT {
        return None;
    }
    let rdlen = usize::from(u16::from_be_bytes([rr[9], rr[10]]));
    rest.get(OPT_LEN..OPT_LEN + rdlen)?;
    Some(Edns {
        payload: u16::from_be_bytes([rr[3], rr[4]]),
        version: rr[6],
        dnssec_ok: rr[7] & 0x80 != 0,
    })
}

/// Byte 2: QR, opcode 0, `flags` (AA/TC), RD copied; byte 3: CD copied, RCODE; the query's ID.
fn set_header(out: &mut [u8], query: &[u8], flags: u8, rcode: u8) {
    out[0] = query[0];
    out[1] = query[1];
    out[2] = 0x80 | (flags & 0x06) | (query[2] & 0x01);
    out[3] = (query[3] & 0x10) | (rcode & 0x0f);
}

fn push_opt(out: &mut Vec<u8>, opt: Option<Opt>, rcode_high: u8) {
    let Some(opt) = opt else {
        return;
    };
    let [p0, p1] = opt.payload.to_be_bytes();
    let flags = if opt.dnssec_ok { 0x80 } else { 0 };
    out.extend_from_slice(&[0, 0, 41, p0, p1, rcode_high, 0, flags, 0, 0, 0]);
    let arcount = u16::from_be_bytes([out[10], out[11]]).saturating_add(1);
    out[10..12].copy_from_slice(&arcount.to_be_bytes());
}

fn header_only(query: &[u8], rcode: u8, out: &mut Vec<u8>) {
    out.extend_from_slice(&query[..HEADER]);
    let opcode = query[2] & 0x78;
    set_header(out, query, 0, rcode);
    out[2] |= opcode;
    out[4..12].fill(0);
}

fn error(query: &[u8], question: &[u8], opt: Option<Opt>, rcode: u8, rcode_high: u8, out: &mut Vec<u8>) {
    out.extend_from_slice(&query[..HEADER]);
    out.extend_from_slice(question);
    set_header(out, query, 0, rcode);
    out[4..12].copy_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
    push_opt(out, opt, rcode_high);
}

fn truncated(query: &[u8], question: &[u8], opt: Option<Opt>, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(&query[..HEADER]);
    out.extend_from_slice(question);
    set_header(out, query, 0x04 | 0x02, 0);
    out[4..12].copy_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
    push_opt(out, opt, 0);
}

#[cfg(test)]
mod tests;

//! `tiwire dns …`: a provider's zone plan → zone file or verdict; a Konnektor's view of a discovery domain.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::{Resolver, TokioResolver};
use serde_json::{Value, json};
use tiwire_dns::hickory_proto::rr::rdata::{SRV, TXT};
use tiwire_dns::hickory_proto::rr::{Name, RData, RecordType};
use tiwire_dns::{
    PlanError, PlanPolicy, Role, Service, SisServiceZone, SrvOrder, TiServiceZone, ZonePlan, order_targets,
};

use crate::{InputError, Outcome};

/// `tiwire dns` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print a zone of the plan as an RFC 1035 zone file (knot, BIND). Exit 0, or 1 if the plan is invalid.
    Zonefile {
        #[command(flatten)]
        plan: PlanArgs,
        /// Which zone: the Internet zone (default) or a site's TI service zone, by origin.
        #[arg(long)]
        zone: Option<String>,
    },
    /// Validate a plan against the seed's rules; list its zones. Exit 0 valid, 1 invalid.
    Check {
        #[command(flatten)]
        plan: PlanArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Resolve a discovery domain as a Konnektor does (TUC_VPN-ZD_0001/0002): SRV order, addresses, TXT values.
    /// Exit 0 if a TI concentrator and its DNS_SERVERS_TI/DOMAIN_SRVZONE_TI were found, 1 if discovery fails.
    Discover {
        /// The name server to ask (`ip:port`), e.g. the provider's Nameserver Internet.
        #[arg(long)]
        server: SocketAddr,
        /// `DNS_DOMAIN_VPN_ZUGD_INT`.
        domain: String,
        /// Seed the weighted random order (reproducible output) instead of using the system RNG.
        #[arg(long)]
        seed: Option<u64>,
        /// Per-query timeout in seconds.
        #[arg(long, default_value_t = 3)]
        timeout: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Which plan, under which policy.
#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    /// The zone plan (TOML).
    plan: PathBuf,
    /// Accept fewer than the seed's three Nameserver Internet (TIP1-A_4303), for labs.
    #[arg(long)]
    min_nameservers: Option<usize>,
}

pub(crate) fn run(cmd: Command) -> Result<Outcome, InputError> {
    match cmd {
        Command::Zonefile { plan, zone } => {
            let plan = match load(&plan)? {
                Ok(plan) => plan,
                Err(e) => return Ok(invalid(&e, false)),
            };
            let chosen = match zone {
                None => plan.internet_zone(),
                Some(origin) => {
                    let name = Name::from_ascii(origin.trim_end_matches('.').to_owned() + ".")
                        .map_err(|e| InputError(format!("--zone {origin}: {e}")))?;
                    plan.zone(&name.to_lowercase()).ok_or_else(|| {
                        let zones: Vec<String> = plan.zones().map(|z| z.origin().to_string()).collect();
                        InputError(format!(
                            "--zone {origin}: no such zone in the plan ({})",
                            zones.join(", ")
                        ))
                    })?
                }
            };
            print!("{}", chosen.to_zone_file());
            Ok(Outcome::Ok)
        }
        Command::Check { plan, json } => match load(&plan)? {
            Ok(plan) => {
                report(&plan, json);
                Ok(Outcome::Ok)
            }
            Err(e) => Ok(invalid(&e, json)),
        },
        Command::Discover {
            server,
            domain,
            seed,
            timeout,
            json,
        } => discover(server, &domain, seed, Duration::from_secs(timeout), json),
    }
}

/// Reads the file: `Err` for input errors (exit 2), `Ok(Err)` for a plan that was read and refused.
fn load(args: &PlanArgs) -> Result<Result<ZonePlan, PlanError>, InputError> {
    let text = read(&args.plan)?;
    let mut policy = PlanPolicy::default();
    if let Some(min) = args.min_nameservers {
        policy = policy.with_min_internet_nameservers(min);
    }
    Ok(ZonePlan::from_toml(&text, &policy))
}

fn read(path: &Path) -> Result<String, InputError> {
    std::fs::read_to_string(path).map_err(|e| InputError(format!("{}: {e}", path.display())))
}

fn invalid(e: &PlanError, as_json: bool) -> Outcome {
    let errors: Vec<String> = match e {
        PlanError::Invalid(violations) => violations.iter().map(ToString::to_string).collect(),
        other => vec![other.to_string()],
    };
    if as_json {
        println!("{}", json!({ "valid": false, "errors": errors }));
    } else {
        eprintln!("invalid zone plan: {} problem(s)", errors.len());
        for e in errors {
            eprintln!("  ✘ {e}");
        }
    }
    Outcome::Invalid
}

fn report(plan: &ZonePlan, as_json: bool) {
    let zones: Vec<Value> = plan
        .zones()
        .map(|z| json!({ "origin": z.origin().to_string(), "records": z.len() }))
        .collect();
    let count = |role: Role| plan.concentrators().iter().filter(|c| c.role() == role).count();
    let enabled = plan.concentrators().iter().filter(|c| c.enabled()).count();
    let discovery: Vec<String> = plan.discovery_domains().iter().map(ToString::to_string).collect();
    if as_json {
        let out = json!({
            "valid": true,
            "zones": zones,
            "discovery_domains": discovery,
            "concentrators": { "ti": count(Role::Ti), "sis": count(Role::Sis), "enabled": enabled },
        });
        println!("{out}");
        return;
    }
    println!("valid zone plan");
    for z in plan.zones() {
        println!("  zone       {} ({} records)", z.origin(), z.len());
    }
    for d in &discovery {
        println!("  discovery  {d}");
    }
    println!(
        "  concentrators {} TI, {} SIS, {} enabled",
        count(Role::Ti),
        count(Role::Sis),
        enabled
    );
}

/// The system RNG, or SplitMix64 for `--seed` (reproducible output; not for anything secret).
enum CliRng {
    System(rand_core::UnwrapErr<getrandom::SysRng>),
    Seeded(u64),
}

impl rand_core::TryRng for CliRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        match self {
            CliRng::System(rng) => rng.try_next_u64(),
            CliRng::Seeded(state) => {
                *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = *state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                Ok(z ^ (z >> 31))
            }
        }
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// One SRV target as the Konnektor sees it.
struct Target {
    srv: SRV,
    addresses: Vec<IpAddr>,
    /// TI or SIS service zone from the target's TXT (concentrators only).
    txt: Option<Result<Value, String>>,
}

/// An SRV lookup: missing (NXDOMAIN/NODATA), absent (`.`), or ordered targets.
enum Found {
    Missing,
    Absent { ttl: u32 },
    Targets { ttl: u32, targets: Vec<Target> },
}

fn discover(
    server: SocketAddr,
    domain: &str,
    seed: Option<u64>,
    timeout: Duration,
    as_json: bool,
) -> Result<Outcome, InputError> {
    let domain = Name::from_ascii(domain.trim_end_matches('.').to_owned() + ".")
        .map_err(|e| InputError(format!("{domain}: {e}")))?
        .to_lowercase();
    let mut rng = match seed {
        Some(seed) => CliRng::Seeded(seed),
        None => CliRng::System(rand_core::UnwrapErr(getrandom::SysRng)),
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let results = runtime.block_on(async {
        let resolver = resolver(server, timeout)?;
        let mut results = Vec::new();
        for service in [
            Service::IsakmpTi,
            Service::IsakmpSis,
            Service::RegServer,
            Service::HashAndUrl,
        ] {
            let owner = service.owner(&domain)?;
            let found = lookup_service(&resolver, &owner, service, &mut rng).await?;
            results.push((service, owner, found));
        }
        Ok::<_, InputError>(results)
    })?;

    // Exit 0 only if the Konnektor could build its TI tunnel: a TI target with an address and a valid TXT.
    let first_ok = |service: Service| {
        results.iter().any(|(s, _, found)| {
            *s == service
                && matches!(found, Found::Targets { targets, .. }
                    if targets.first().is_some_and(|t| !t.addresses.is_empty() && !matches!(t.txt, Some(Err(_)))))
        })
    };
    let ok = first_ok(Service::IsakmpTi);
    if as_json {
        print_json(server, &domain, &results, ok);
    } else {
        print_text(server, &domain, &results, ok);
    }
    Ok(if ok { Outcome::Ok } else { Outcome::Invalid })
}

fn resolver(server: SocketAddr, timeout: Duration) -> Result<TokioResolver, InputError> {
    let mut udp = ConnectionConfig::udp();
    udp.port = server.port();
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = server.port();
    let config = ResolverConfig::from_name_servers(vec![NameServerConfig::new(server.ip(), true, vec![udp, tcp])]);
    let mut builder = Resolver::builder_with_config(config, TokioRuntimeProvider::default());
    let options = builder.options_mut();
    options.timeout = timeout;
    options.attempts = 2;
    options.cache_size = 0;
    options.use_hosts_file = ResolveHosts::Never;
    Ok(builder.build()?)
}

/// Answers of one type at `name`; `None` for NXDOMAIN or NODATA.
async fn answers(
    resolver: &TokioResolver,
    name: &Name,
    record_type: RecordType,
) -> Result<Option<(u32, Vec<RData>)>, InputError> {
    match resolver.lookup(name.clone(), record_type).await {
        Ok(lookup) => {
            let records: Vec<_> = lookup
                .answers()
                .iter()
                .filter(|r| r.record_type() == record_type)
                .collect();
            let ttl = records.iter().map(|r| r.ttl).min().unwrap_or(0);
            Ok(Some((ttl, records.into_iter().map(|r| r.data.clone()).collect())))
        }
        Err(e) if e.is_no_records_found() => Ok(None),
        Err(e) => Err(InputError(format!("{name} {record_type}: {e}"))),
    }
}

async fn lookup_service(
    resolver: &TokioResolver,
    owner: &Name,
    service: Service,
    rng: &mut CliRng,
) -> Result<Found, InputError> {
    let Some((ttl, data)) = answers(resolver, owner, RecordType::SRV).await? else {
        return Ok(Found::Missing);
    };
    let srv: Vec<SRV> = data
        .into_iter()
        .filter_map(|d| if let RData::SRV(s) = d { Some(s) } else { None })
        .collect();
    let ordered = match order_targets(&srv, rng) {
        SrvOrder::Absent => return Ok(Found::Absent { ttl }),
        SrvOrder::Targets(t) => t,
    };
    let mut targets = Vec::new();
    for srv in ordered {
        let mut addresses = Vec::new();
        for record_type in [RecordType::A, RecordType::AAAA] {
            if let Some((_, data)) = answers(resolver, &srv.target, record_type).await? {
                addresses.extend(data.into_iter().filter_map(|d| match d {
                    RData::A(a) => Some(IpAddr::V4(a.0)),
                    RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                    _ => None,
                }));
            }
        }
        let txt = match service {
            Service::IsakmpTi | Service::IsakmpSis => Some(service_zone(resolver, &srv.target, service).await?),
            _ => None,
        };
        targets.push(Target { srv, addresses, txt });
    }
    Ok(Found::Targets { ttl, targets })
}

/// The TXT RRset at a concentrator, read as the Konnektor reads it.
async fn service_zone(
    resolver: &TokioResolver,
    target: &Name,
    service: Service,
) -> Result<Result<Value, String>, InputError> {
    let data = answers(resolver, target, RecordType::TXT).await?;
    let (ttl, data) = data.unwrap_or_default();
    let txt: Vec<TXT> = data
        .into_iter()
        .filter_map(|d| if let RData::TXT(t) = d { Some(t) } else { None })
        .collect();
    Ok(if service == Service::IsakmpTi {
        TiServiceZone::from_rrset(&txt)
            .map(|z| {
                json!({
                    "DNS_SERVERS_TI": z.dns_servers_ti().iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "DOMAIN_SRVZONE_TI": z.domain_srvzone_ti().as_str(),
                    "ttl": ttl,
                })
            })
            .map_err(|e| e.to_string())
    } else {
        SisServiceZone::from_rrset(&txt)
            .map(|z| {
                json!({
                    "DNS_SERVERS_SIS": z.dns_servers_sis().iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "DOMAIN_SRVZONE_SIS": z.domain_srvzone_sis().as_str(),
                    "ttl": ttl,
                })
            })
            .map_err(|e| e.to_string())
    })
}

fn target_json(t: &Target) -> Value {
    let mut out = json!({
        "priority": t.srv.priority,
        "weight": t.srv.weight,
        "port": t.srv.port,
        "target": t.srv.target.to_string(),
        "addresses": t.addresses.iter().map(ToString::to_string).collect::<Vec<_>>(),
    });
    match &t.txt {
        Some(Ok(values)) => out["txt"] = values.clone(),
        Some(Err(e)) => out["txt_error"] = json!(e),
        None => {}
    }
    out
}

fn print_json(server: SocketAddr, domain: &Name, results: &[(Service, Name, Found)], ok: bool) {
    let services: Vec<Value> = results
        .iter()
        .map(|(service, owner, found)| {
            let mut out = json!({ "service": service.labels(), "owner": owner.to_string() });
            match found {
                Found::Missing => out["status"] = json!("missing"),
                Found::Absent { ttl } => {
                    out["status"] = json!("absent");
                    out["ttl"] = json!(ttl);
                }
                Found::Targets { ttl, targets } => {
                    out["status"] = json!("targets");
                    out["ttl"] = json!(ttl);
                    out["targets"] = targets.iter().map(target_json).collect();
                }
            }
            out
        })
        .collect();
    let out = json!({
        "server": server.to_string(),
        "domain": domain.to_string(),
        "ok": ok,
        "services": services,
    });
    println!("{out}");
}

fn print_text(server: SocketAddr, domain: &Name, results: &[(Service, Name, Found)], ok: bool) {
    println!("discovery domain {domain} via {server}, as a Konnektor sees it (RFC 2782 order for this attempt)");
    for (service, owner, found) in results {
        match found {
            Found::Missing => println!("\n{owner} SRV: no records"),
            Found::Absent { ttl } => println!("\n{owner} SRV (TTL {ttl}): service absent (target \".\")"),
            Found::Targets { ttl, targets } => {
                println!("\n{owner} SRV (TTL {ttl}): {} target(s)", targets.len());
                for (i, t) in targets.iter().enumerate() {
                    let addresses: Vec<String> = t.addresses.iter().map(ToString::to_string).collect();
                    println!(
                        "  {:>3}. prio {:<5} weight {:<5} port {:<5} {}  {}",
                        i + 1,
                        t.srv.priority,
                        t.srv.weight,
                        t.srv.port,
                        t.srv.target,
                        if addresses.is_empty() {
                            "NO ADDRESS".to_owned()
                        } else {
                            addresses.join(" ")
                        }
                    );
                    match &t.txt {
                        Some(Ok(values)) => {
                            let shown: Vec<String> = values
                                .as_object()
                                .into_iter()
                                .flatten()
                                .filter(|(k, _)| *k != "ttl")
                                .map(|(k, v)| match v {
                                    Value::Array(a) => {
                                        let list: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                                        format!("{k}={}", list.join(","))
                                    }
                                    other => format!("{k}={}", other.as_str().unwrap_or_default()),
                                })
                                .collect();
                            println!("       TXT {}", shown.join(" "));
                        }
                        Some(Err(e)) => println!("       TXT ✘ {e}"),
                        None => {}
                    }
                }
            }
        }
        if *service == Service::IsakmpTi {
            let verdict = if ok { "✔" } else { "✘" };
            println!("  {verdict} TI tunnel: first target has an address and a valid txtvers=1 record");
        }
    }
}

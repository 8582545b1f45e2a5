//! Service discovery of the VPN-Zugangsdienst: tiwire-dnsd serving a provider's zone plan, and a Konnektor
//! finding its VPN concentrator and TI service zone through a real DNS resolver (hickory) and tiwire-dns.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::{Resolver, TokioResolver};
use tiwire_dns::hickory_proto::rr::rdata::{SRV, TXT};
use tiwire_dns::hickory_proto::rr::{Name, RData, RecordType};
use tiwire_dns::{Role, Service, SrvOrder, TiServiceZone, discovery_name, order_targets};

use crate::Report;

/// The seed's example provider (gemSpec_VPN_ZugD Tab_ZD_Nameserver_Int_RR): `anbieter.de`, sites Hamburg and
/// Berlin, the concentrator `vpnk1.ham.ti-vpn-zugd.anbieter.de` with `NameserverTI=100.97.20.13,100.97.20.14`.
const PLAN: &str = include_str!("../../../libs/dns/tests/vectors/seed-example.zoneplan.toml");

fn resolver(server: SocketAddr) -> anyhow::Result<TokioResolver> {
    let mut udp = ConnectionConfig::udp();
    udp.port = server.port();
    let mut tcp = ConnectionConfig::tcp();
    tcp.port = server.port();
    let config = ResolverConfig::from_name_servers(vec![NameServerConfig::new(server.ip(), true, vec![udp, tcp])]);
    let mut builder = Resolver::builder_with_config(config, TokioRuntimeProvider::default());
    let options = builder.options_mut();
    options.timeout = Duration::from_secs(2);
    options.cache_size = 0;
    options.use_hosts_file = ResolveHosts::Never;
    Ok(builder.build()?)
}

async fn lookup(resolver: &TokioResolver, name: &Name, record_type: RecordType) -> anyhow::Result<Vec<RData>> {
    let answer = resolver
        .lookup(name.clone(), record_type)
        .await
        .with_context(|| format!("{name} {record_type}"))?;
    Ok(answer
        .answers()
        .iter()
        .filter(|r| r.record_type() == record_type)
        .map(|r| r.data.clone())
        .collect())
}

/// SRV lookup and RFC 2782 order, as a Konnektor does it.
async fn ordered(resolver: &TokioResolver, owner: &Name) -> anyhow::Result<Vec<SRV>> {
    let srv: Vec<SRV> = lookup(resolver, owner, RecordType::SRV)
        .await?
        .into_iter()
        .filter_map(|d| if let RData::SRV(s) = d { Some(s) } else { None })
        .collect();
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    match order_targets(&srv, &mut rng) {
        SrvOrder::Targets(targets) if !targets.is_empty() => Ok(targets),
        _ => bail!("{owner}: service absent"),
    }
}

/// The discovery stories.
pub(crate) async fn stories(report: &mut Report, dir: &Path) {
    report.section("VPN-Zugangsdienst service discovery (gemSpec_VPN_ZugD §5.1.1.2, TUC_VPN-ZD_0001)");
    let Some(dnsd) = report
        .step("start tiwire-dnsd with the seed's example provider plan", async {
            let dir = dir.join("dns");
            std::fs::create_dir_all(&dir)?;
            std::fs::write(dir.join("plan.toml"), PLAN)?;
            let text = "listen = [\"127.0.0.1:0\"]\nplan = \"plan.toml\"\n";
            std::fs::write(dir.join("dnsd.toml"), text)?;
            let config = tiwire_dnsd::Config::from_toml(text, &dir)?;
            let running = tiwire_dnsd::start(config).await?;
            let detail = format!(
                "udp+tcp://{} (config {})",
                running.addr,
                dir.join("dnsd.toml").display()
            );
            Ok((running, detail))
        })
        .await
    else {
        return;
    };
    let Ok(resolver) = resolver(dnsd.addr) else { return };
    let Ok(domain) = Name::from_ascii("anbieter.de.") else {
        return;
    };
    let first = report
        .step(
            "a Konnektor looks up _isakmp._udp.ti-extern and orders the targets",
            async {
                let targets = ordered(&resolver, &discovery_name(Role::Ti, &domain)?).await?;
                let order: Vec<String> = targets
                    .iter()
                    .map(|t| format!("{} (prio {})", t.target, t.priority))
                    .collect();
                let first = targets[0].target.clone();
                Ok((first, format!("RFC 2782 order: {}", order.join(", "))))
            },
        )
        .await;
    if let Some(first) = first {
        report
            .step("… reads the concentrator's address and its txtvers=1 TXT", async {
                let addresses = lookup(&resolver, &first, RecordType::A).await?;
                ensure!(!addresses.is_empty(), "no address for {first}");
                let txt: Vec<TXT> = lookup(&resolver, &first, RecordType::TXT)
                    .await?
                    .into_iter()
                    .filter_map(|d| if let RData::TXT(t) = d { Some(t) } else { None })
                    .collect();
                let zone = TiServiceZone::from_rrset(&txt)?;
                let servers: Vec<String> = zone.dns_servers_ti().iter().map(ToString::to_string).collect();
                let detail = format!(
                    "DNS_SERVERS_TI={}  DOMAIN_SRVZONE_TI={}",
                    servers.join(","),
                    zone.domain_srvzone_ti().as_str()
                );
                Ok(((), detail))
            })
            .await;
    }
    report
        .step(
            "_regserver._tcp and _hashandurl._tcp name the provider's servers",
            async {
                let reg = ordered(&resolver, &Service::RegServer.owner(&domain)?).await?;
                let hash = ordered(&resolver, &Service::HashAndUrl.owner(&domain)?).await?;
                Ok((
                    (),
                    format!("{}:{}, {}:{}", reg[0].target, reg[0].port, hash[0].target, hash[0].port),
                ))
            },
        )
        .await;
    report
        .step("an unknown name is NXDOMAIN, a foreign zone REFUSED", async {
            let missing = Name::from_ascii("nothing.anbieter.de.")?;
            let nx = resolver.lookup(missing, RecordType::A).await;
            ensure!(
                nx.as_ref().err().is_some_and(|e| e.is_nx_domain()),
                "expected NXDOMAIN: {nx:?}"
            );
            let foreign = resolver.lookup(Name::from_ascii("example.org.")?, RecordType::A).await;
            let refused = foreign.as_ref().err().map(ToString::to_string).unwrap_or_default();
            ensure!(
                refused.to_ascii_lowercase().contains("refused"),
                "expected REFUSED: {foreign:?}"
            );
            Ok(((), String::new()))
        })
        .await;
    dnsd.shutdown().await;
}

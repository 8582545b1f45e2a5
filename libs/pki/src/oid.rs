//! TI object identifiers (gemSpec_OID Tab_PKI_403–406) as typed values.
//!
//! The values are those of `../shared/specs/ti-oids.tsv`; a test in this module reads that file and checks
//! that every row has a constant here with the same value.

use der::asn1::ObjectIdentifier;

/// ISIS-MTT / Common PKI Admission extension (`1.3.36.8.3.3`): profession/institution OIDs and the
/// registration number (Telematik-ID).
pub const ADMISSION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.36.8.3.3");
/// `oid_policy_gem_or_cp`: certificate policy of all TI certificates since the online rollout.
pub const POLICY_GEM_OR_CP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.276.0.76.4.163");
/// `id-kp-OCSPSigning` (RFC 6960 §4.2.2.2): extended key usage of a delegated OCSP responder.
pub const KP_OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
/// `id-pkix-ocsp-nonce` (RFC 6960 §4.4.1).
pub const OCSP_NONCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.2");
/// `id-pkix-ocsp-basic` (RFC 6960 §4.2.1).
pub const OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// `id-ad-ocsp` access method in Authority Information Access.
pub const AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");

macro_rules! oid_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = ($oid:literal, $reference:literal, $label:literal), )+ }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in table order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The object identifier.
            pub const fn oid(self) -> ObjectIdentifier {
                match self {
                    $( $name::$variant => ObjectIdentifier::new_unwrap($oid), )+
                }
            }

            /// The gemSpec_OID reference name, e.g. `oid_nk_vpn`.
            pub const fn reference(self) -> &'static str {
                match self {
                    $( $name::$variant => $reference, )+
                }
            }

            /// What the specifications call it, e.g. `C.NK.VPN`.
            pub const fn label(self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )+
                }
            }

            /// The value for an object identifier, if it is one of ours.
            pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.oid() == *oid)
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

oid_enum! {
    /// Certificate type (gemSpec_OID Tab_PKI_405), carried as a policy identifier in the certificate policies
    /// extension.
    CertType {
        /// SMC-B encryption.
        HciEnc = ("1.2.276.0.76.4.76", "oid_smc_b_enc", "C.HCI.ENC"),
        /// SMC-B authentication.
        HciAut = ("1.2.276.0.76.4.77", "oid_smc_b_aut", "C.HCI.AUT"),
        /// SMC-B organisational signature.
        HciOsig = ("1.2.276.0.76.4.78", "oid_smc_b_osig", "C.HCI.OSIG"),
        /// Anwendungskonnektor authentication (also the HSK's management interface, A_23341).
        AkAut = ("1.2.276.0.76.4.79", "oid_ak_aut", "C.AK.AUT"),
        /// Netzkonnektor VPN identity.
        NkVpn = ("1.2.276.0.76.4.80", "oid_nk_vpn", "C.NK.VPN"),
        /// VPN concentrator TI.
        VpnkVpn = ("1.2.276.0.76.4.81", "oid_vpnk_vpn", "C.VPNK.VPN"),
        /// VPN concentrator SIS.
        VpnkVpnSis = ("1.2.276.0.76.4.165", "oid_vpnk_vpn_sis", "C.VPNK.VPN-SIS"),
        /// Fachdienst authentication.
        FdAut = ("1.2.276.0.76.4.155", "oid_fd_aut", "C.FD.AUT"),
        /// Fachdienst TLS client.
        FdTlsC = ("1.2.276.0.76.4.168", "oid_fd_tls_c", "C.FD.TLS-C"),
        /// Fachdienst TLS server.
        FdTlsS = ("1.2.276.0.76.4.169", "oid_fd_tls_s", "C.FD.TLS-S"),
        /// Zentraler Dienst TLS server.
        ZdTlsS = ("1.2.276.0.76.4.157", "oid_zd_tls_s", "C.ZD.TLS-S"),
        /// Fachdienst signature (e.g. the federation list signer).
        FdSig = ("1.2.276.0.76.4.203", "oid_fd_sig", "C.FD.SIG"),
        /// Fachdienst organisational signature.
        FdOsig = ("1.2.276.0.76.4.283", "oid_fd_osig", "C.FD.OSIG"),
    }
}

oid_enum! {
    /// Technical role (gemSpec_OID Tab_PKI_406), carried as profession OID in the admission extension of
    /// component and service certificates.
    Role {
        /// OCSP responder.
        Ocsp = ("1.2.276.0.76.4.99", "oid_ocsp", "OCSP responder"),
        /// Anwendungskonnektor.
        Ak = ("1.2.276.0.76.4.103", "oid_ak", "Anwendungskonnektor"),
        /// Netzkonnektor.
        Nk = ("1.2.276.0.76.4.104", "oid_nk", "Netzkonnektor"),
        /// VPN-Zugangsdienst TI.
        VpnzTi = ("1.2.276.0.76.4.161", "oid_vpnz_ti", "VPN-Zugangsdienst-TI"),
        /// VPN-Zugangsdienst SIS.
        VpnzSis = ("1.2.276.0.76.4.166", "oid_vpnz_sis", "VPN-Zugangsdienst-SIS"),
        /// Verzeichnisdienst TI.
        VzdTi = ("1.2.276.0.76.4.171", "oid_vzd_ti", "Verzeichnisdienst-TI"),
        /// TI-Messenger.
        Tim = ("1.2.276.0.76.4.294", "oid_tim", "TI-Messenger"),
        /// TI-Gateway Zugangsmodul.
        TigwZugm = ("1.2.276.0.76.4.309", "oid_tigw_zugm", "TI-Gateway Zugangsmodul"),
    }
}

oid_enum! {
    /// Institution (gemSpec_OID Tab_PKI_403), carried as profession OID in the admission extension of SMC-B
    /// certificates.
    Institution {
        /// Betriebsstätte Arzt.
        PraxisArzt = ("1.2.276.0.76.4.50", "oid_praxis_arzt", "Betriebsstätte Arzt"),
        /// Zahnarztpraxis.
        Zahnarztpraxis = ("1.2.276.0.76.4.51", "oid_zahnarztpraxis", "Zahnarztpraxis"),
        /// Betriebsstätte Psychotherapeut.
        PraxisPsychotherapeut =
            ("1.2.276.0.76.4.52", "oid_praxis_psychotherapeut", "Betriebsstätte Psychotherapeut"),
        /// Krankenhaus.
        Krankenhaus = ("1.2.276.0.76.4.53", "oid_krankenhaus", "Krankenhaus"),
        /// Öffentliche Apotheke.
        OeffentlicheApotheke = ("1.2.276.0.76.4.54", "oid_oeffentliche_apotheke", "Öffentliche Apotheke"),
        /// Krankenhausapotheke.
        Krankenhausapotheke = ("1.2.276.0.76.4.55", "oid_krankenhausapotheke", "Krankenhausapotheke"),
        /// Bundeswehrapotheke.
        Bundeswehrapotheke = ("1.2.276.0.76.4.56", "oid_bundeswehrapotheke", "Bundeswehrapotheke"),
        /// Betriebsstätte Mobile Einrichtung Rettungsdienst.
        MobileEinrichtungRettungsdienst = (
            "1.2.276.0.76.4.57",
            "oid_mobile_einrichtung_rettungsdienst",
            "Betriebsstätte Mobile Einrichtung Rettungsdienst"
        ),
        /// Betriebsstätte gematik.
        BsGematik = ("1.2.276.0.76.4.58", "oid_bs_gematik", "Betriebsstätte gematik"),
        /// Betriebsstätte Kostenträger.
        Kostentraeger = ("1.2.276.0.76.4.59", "oid_kostentraeger", "Betriebsstätte Kostenträger"),
        /// TIM-Hersteller und -Anbieter.
        TimAnbieter = ("1.2.276.0.76.4.295", "oid_tim-anbieter", "TIM-Hersteller und -Anbieter"),
    }
}

/// `SiteType` of the VPN-ZugD OperatingData schema (`vpnzugd/OperatingData_vpnzugd_hardened.xsd`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SiteType {
    /// `ARZTPRAXIS`
    Arztpraxis,
    /// `ZAHNARZTPRAXIS`
    Zahnarztpraxis,
    /// `MVZ` (in the schema; A_24322 maps no profession OID to it)
    Mvz,
    /// `KRANKENHAUS`
    Krankenhaus,
    /// `APOTHEKE`
    Apotheke,
    /// `SONSTIGE`
    Sonstige,
}

impl SiteType {
    /// The schema's enumeration value.
    pub const fn as_str(self) -> &'static str {
        match self {
            SiteType::Arztpraxis => "ARZTPRAXIS",
            SiteType::Zahnarztpraxis => "ZAHNARZTPRAXIS",
            SiteType::Mvz => "MVZ",
            SiteType::Krankenhaus => "KRANKENHAUS",
            SiteType::Apotheke => "APOTHEKE",
            SiteType::Sonstige => "SONSTIGE",
        }
    }

    /// A_24322 (Tab_ZD Mapping Profession-OID auf SiteType): the site type of an SMC-B's profession OID.
    /// Every OID not in the table, ours or not, maps to `SONSTIGE`.
    pub fn from_profession_oid(oid: &ObjectIdentifier) -> SiteType {
        match Institution::from_oid(oid) {
            Some(Institution::PraxisArzt) => SiteType::Arztpraxis,
            Some(Institution::Zahnarztpraxis) => SiteType::Zahnarztpraxis,
            Some(Institution::Krankenhaus) => SiteType::Krankenhaus,
            Some(
                Institution::OeffentlicheApotheke | Institution::Krankenhausapotheke | Institution::Bundeswehrapotheke,
            ) => SiteType::Apotheke,
            _ => SiteType::Sonstige,
        }
    }
}

impl core::fmt::Display for SiteType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of `shared/specs/ti-oids.tsv` is one of our constants, with the same reference name.
    #[test]
    fn constants_match_the_shared_oid_table() {
        let table = include_str!("../../../../shared/specs/ti-oids.tsv");
        let mut rows = 0;
        for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            let oid = ObjectIdentifier::new(cols[0]).unwrap();
            let reference = cols[1];
            let found = match cols[3] {
                "extension" => (oid == ADMISSION).then_some("admission"),
                "Tab_PKI_404" => (oid == POLICY_GEM_OR_CP).then_some("oid_policy_gem_or_cp"),
                "Tab_PKI_405" => CertType::from_oid(&oid).map(CertType::reference),
                "Tab_PKI_406" => Role::from_oid(&oid).map(Role::reference),
                "Tab_PKI_403" => Institution::from_oid(&oid).map(Institution::reference),
                other => panic!("unknown table {other}"),
            };
            assert_eq!(found, Some(reference), "{line}");
            rows += 1;
        }
        assert_eq!(rows, 2 + CertType::ALL.len() + Role::ALL.len() + Institution::ALL.len());
    }

    #[test]
    fn a24322_site_type_mapping() {
        let map = |s: &str| SiteType::from_profession_oid(&ObjectIdentifier::new(s).unwrap());
        assert_eq!(map("1.2.276.0.76.4.50"), SiteType::Arztpraxis);
        assert_eq!(map("1.2.276.0.76.4.51"), SiteType::Zahnarztpraxis);
        assert_eq!(map("1.2.276.0.76.4.52"), SiteType::Sonstige);
        assert_eq!(map("1.2.276.0.76.4.53"), SiteType::Krankenhaus);
        for apo in ["1.2.276.0.76.4.54", "1.2.276.0.76.4.55", "1.2.276.0.76.4.56"] {
            assert_eq!(map(apo), SiteType::Apotheke);
        }
        assert_eq!(map("1.2.276.0.76.4.59"), SiteType::Sonstige);
        assert_eq!(map("1.2.3.4"), SiteType::Sonstige);
        assert_eq!(SiteType::Apotheke.as_str(), "APOTHEKE");
    }
}

//! The Host check every loopback listener makes (the IdP endpoint, the one-time test-login page,
//! the OAuth redirect listener): a request must name `127.0.0.1:PORT` or `localhost:PORT`, the
//! address the listener really has. A web page that reaches 127.0.0.1 through DNS rebinding
//! sends its own host name, and is refused.

use axum::http::{header, HeaderMap};

/// Whether the request's Host header is `127.0.0.1:port` or `localhost:port` (exactly one Host
/// header; `localhost` in any case).
pub fn host_allowed(headers: &HeaderMap, port: u16) -> bool {
    let mut hosts = headers.get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return false;
    };
    let Ok(host) = host.to_str() else {
        return false;
    };
    let Some((name, p)) = host.rsplit_once(':') else {
        return false;
    };
    p == port.to_string() && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(hosts: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in hosts {
            h.append(header::HOST, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_the_loopback_names_of_this_port_pass() {
        assert!(host_allowed(&with(&["127.0.0.1:8766"]), 8766));
        assert!(host_allowed(&with(&["localhost:8766"]), 8766));
        assert!(host_allowed(&with(&["LocalHost:8766"]), 8766));
        for bad in [
            &["127.0.0.1:8767"][..],
            &["127.0.0.1"],
            &["localhost"],
            &["evil.example.com:8766"],
            &["rebind.127.0.0.1.nip.io:8766"],
            &["[::1]:8766"],
            &["127.0.0.1:8766", "127.0.0.1:8766"],
            &[],
        ] {
            assert!(!host_allowed(&with(bad), 8766), "{bad:?}");
        }
    }
}

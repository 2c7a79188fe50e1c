//! Latency, the seeded fault mix, the concurrency limit, and the request log.

mod common;
use lanyard_sim::SimConfig;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Sends 40 requests and returns what the server recorded for each (0 = dropped connection).
async fn statuses(seed: u64) -> Vec<u16> {
    let org = common::start(SimConfig {
        fault_rate: 0.5,
        seed,
        stall: Duration::from_millis(50),
        ..Default::default()
    })
    .await;
    for _ in 0..40 {
        // Dropped connections fail on the client side: that is the point.
        if let Ok(res) = org
            .http
            .get(org.scim("/Users"))
            .bearer_auth(&org.token)
            .send()
            .await
        {
            let _ = res.bytes().await;
        }
    }
    let log: Vec<Value> = org
        .http
        .get(format!("{}/_sim/requests", org.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    log.iter()
        .map(|r| {
            if r["fault"] == "dropped_connection" {
                0
            } else {
                r["status"].as_u64().unwrap() as u16
            }
        })
        .collect()
}

#[tokio::test]
async fn the_same_seed_gives_the_same_fault_mix() {
    let a = statuses(7).await;
    let b = statuses(7).await;
    let c = statuses(8).await;
    assert_eq!(a.len(), 40);
    assert_eq!(a, b, "reproducible with --seed");
    assert_ne!(a, c, "another seed, another mix");
    for kind in [429u16, 503, 0, 200] {
        assert!(
            a.contains(&kind),
            "fault mix at rate 0.5 over 40 requests includes {kind}: {a:?}"
        );
    }
}

#[tokio::test]
async fn throttled_answers_carry_retry_after() {
    let org = common::start(SimConfig {
        fault_rate: 1.0,
        seed: 3,
        stall: Duration::from_millis(10),
        ..Default::default()
    })
    .await;
    let mut seen = false;
    for _ in 0..30 {
        if let Ok(res) = org
            .http
            .get(org.scim("/Users"))
            .bearer_auth(&org.token)
            .send()
            .await
        {
            if res.status() == 429 {
                assert!(
                    res.headers().get("retry-after").is_some(),
                    "429 says when to retry"
                );
                seen = true;
            }
        }
    }
    assert!(seen, "at rate 1.0 some answers are 429");
}

#[tokio::test]
async fn latency_is_added_server_side() {
    let org = common::start(SimConfig {
        latency: Duration::from_millis(150),
        ..Default::default()
    })
    .await;
    let t = Instant::now();
    assert_eq!(org.get("/Users").await.status(), 200);
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "took {:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn more_than_25_in_flight_get_429() {
    let org = common::start(SimConfig {
        latency: Duration::from_millis(400),
        ..Default::default()
    })
    .await;
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let http = org.http.clone();
        let url = org.scim("/Users");
        let token = org.token.clone();
        tasks.push(tokio::spawn(async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap().unwrap());
    }
    let ok = codes.iter().filter(|&&c| c == 200).count();
    let limited = codes.iter().filter(|&&c| c == 429).count();
    assert_eq!(ok + limited, 40, "{codes:?}");
    assert!(ok <= 25, "at most 25 run at once: {ok} succeeded");
    assert!(limited >= 15, "the rest are refused: {limited}");
    let stats: Value = org
        .http
        .get(format!("{}/_sim/stats", org.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["requests"], 40);
    assert_eq!(stats["faults"]["concurrency_limit"], limited as u64);
    assert!(stats["max_in_flight"].as_u64().unwrap() > 25);
}

#[tokio::test]
async fn request_log_lists_what_a_test_caused() {
    let org = common::default_org().await;
    org.get("/Users?count=1").await;
    org.http.get(org.scim("/Groups")).send().await.unwrap();
    let log: Vec<Value> = org
        .http
        .get(format!("{}/_sim/requests", org.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["method"], "GET");
    assert_eq!(log[0]["path"], "/services/scim/v2/Users");
    assert_eq!(log[0]["query"], "count=1");
    assert_eq!(log[0]["authorized"], true);
    assert_eq!(log[1]["status"], 401);
    assert_eq!(log[1]["authorized"], false);
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains(&org.token), "the log never holds a token");
}

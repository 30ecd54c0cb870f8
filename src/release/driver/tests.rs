//! Storage behaviour over the memory backend.

use std::collections::BTreeMap;

use super::*;

fn rel(name: &str, version: u32, status: Status) -> Release {
    let mut r = Release {
        name: name.into(),
        version,
        namespace: "ns".into(),
        ..Release::default()
    };
    r.info.status = status;
    r
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn create_get_history_and_exclusive_create() {
    block_on(async {
        let s = Storage::new(Backend::Memory(MemoryBackend::default()));
        let custom = BTreeMap::from([("team".to_string(), "a".to_string())]);
        s.create(&rel("web", 1, Status::Deployed), &custom)
            .await
            .unwrap();
        assert!(matches!(
            s.create(&rel("web", 1, Status::Deployed), &custom).await,
            Err(Error::Exists)
        ));
        s.create(&rel("web", 2, Status::PendingUpgrade), &BTreeMap::new())
            .await
            .unwrap();
        let h = s.history_meta("ns", "web").await.unwrap();
        assert_eq!(h.iter().map(|m| m.version).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(h[0].labels["owner"], "helm");
        assert_eq!(h[0].custom_labels(), custom);
        let (r, labels) = s.get("ns", "web", 1).await.unwrap();
        assert_eq!(r.info.status, Status::Deployed);
        assert_eq!(labels, custom);
        let reserved = BTreeMap::from([("owner".to_string(), "me".to_string())]);
        assert!(matches!(
            s.create(&rel("x", 1, Status::Deployed), &reserved).await,
            Err(Error::ReservedLabel)
        ));
    });
}

#[test]
fn prune_keeps_the_last_deployed() {
    block_on(async {
        let s = Storage::new(Backend::Memory(MemoryBackend::default()));
        s.create(&rel("web", 1, Status::Deployed), &BTreeMap::new())
            .await
            .unwrap();
        for v in 2..=5 {
            s.create(&rel("web", v, Status::Failed), &BTreeMap::new())
                .await
                .unwrap();
        }
        s.prune("ns", "web", 3).await.unwrap();
        let left: Vec<u32> = s
            .history_meta("ns", "web")
            .await
            .unwrap()
            .iter()
            .map(|m| m.version)
            .collect();
        assert_eq!(left, [1, 5]);
    });
}

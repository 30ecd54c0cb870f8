//! A per-release lock: a `coordination.k8s.io/v1` Lease, held with an
//! identity (`host/pid`), the operation and its start time, renewed in the
//! background while the operation runs and deleted at the end.
//!
//! A Lease whose renewal is older than its duration, or whose holder is a
//! process on this host that no longer exists, is taken over; the caller is
//! told whose lock it replaced so it can say so. A live holder yields
//! [`Error::Locked`] naming holder, since when and which operation.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::{DeleteParams, PostParams, Preconditions};

use crate::{Error, Kube};

const OPERATION_ANNOTATION: &str = "origanctl.dev/operation";

/// Lock settings.
#[derive(Clone, Debug)]
pub struct LeaseOptions {
    /// How long a holder that stops renewing keeps the lock.
    pub duration: Duration,
    /// How often the holder renews.
    pub renew_every: Duration,
}

impl Default for LeaseOptions {
    fn default() -> Self {
        LeaseOptions {
            duration: Duration::from_secs(30),
            renew_every: Duration::from_secs(10),
        }
    }
}

/// Who held a lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// `host/pid`
    pub identity: String,
    /// `install`, `upgrade`, ...
    pub operation: String,
    /// RFC 3339.
    pub since: String,
    /// RFC 3339.
    pub renewed: String,
}

/// A stale lock that was replaced, and why it counted as stale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Takeover {
    /// The previous holder.
    pub previous: Holder,
    /// `expired` or `holder process is gone`.
    pub why: String,
}

/// A held lock. Call [`LeaseGuard::release`] at the end; dropping it only
/// stops renewing, so the Lease expires on its own.
#[derive(Debug)]
pub struct LeaseGuard {
    api: Api<Lease>,
    name: String,
    identity: String,
    renewer: tokio::task::JoinHandle<()>,
    lost: Arc<AtomicBool>,
    /// Set when a stale lock was taken over.
    pub takeover: Option<Takeover>,
}

/// This process's identity: `host/pid`.
pub fn identity() -> String {
    format!("{}/{}", hostname(), std::process::id())
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown-host".into())
}

/// Whether `host/pid` names a process on this host that has exited.
fn holder_is_dead(identity: &str) -> bool {
    let Some((host, pid)) = identity.rsplit_once('/') else {
        return false;
    };
    host == hostname()
        && pid.parse::<u32>().is_ok()
        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

fn holder_of(lease: &Lease) -> Holder {
    let spec = lease.spec.clone().unwrap_or_default();
    Holder {
        identity: spec.holder_identity.unwrap_or_default(),
        operation: lease
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(OPERATION_ANNOTATION).cloned())
            .unwrap_or_default(),
        since: spec
            .acquire_time
            .map(|t| t.0.to_string())
            .unwrap_or_default(),
        renewed: spec.renew_time.map(|t| t.0.to_string()).unwrap_or_default(),
    }
}

fn stale_reason(lease: &Lease) -> Option<String> {
    let spec = lease.spec.as_ref()?;
    let holder = spec.holder_identity.as_deref().unwrap_or("");
    if holder.is_empty() {
        return Some("released".into());
    }
    if holder_is_dead(holder) {
        return Some("holder process is gone".into());
    }
    let dur = i64::from(spec.lease_duration_seconds.unwrap_or(30));
    let last = spec.renew_time.as_ref().or(spec.acquire_time.as_ref())?;
    let age = Timestamp::now().as_second() - last.0.as_second();
    (age > dur).then(|| format!("expired {}s ago", age - dur))
}

/// The Lease name for a release.
pub fn lease_name(release: &str) -> String {
    format!("origanctl.lock.{release}")
}

impl Kube {
    /// Takes the lock of `release` in `namespace` for `operation`.
    pub async fn acquire_lease(
        &self,
        namespace: &str,
        release: &str,
        operation: &str,
        opts: &LeaseOptions,
    ) -> Result<LeaseGuard, Error> {
        let api: Api<Lease> = Api::namespaced(self.client().clone(), namespace);
        let name = lease_name(release);
        let me = identity();
        let now = MicroTime(Timestamp::now());
        let fresh = |rv: Option<String>, transitions: i32| Lease {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                namespace: Some(namespace.to_string()),
                resource_version: rv,
                annotations: Some(
                    [(OPERATION_ANNOTATION.to_string(), operation.to_string())].into(),
                ),
                labels: Some(
                    [
                        (
                            "app.kubernetes.io/managed-by".to_string(),
                            "origanctl".to_string(),
                        ),
                        ("name".to_string(), release.to_string()),
                    ]
                    .into(),
                ),
                ..ObjectMeta::default()
            },
            spec: Some(LeaseSpec {
                holder_identity: Some(me.clone()),
                lease_duration_seconds: Some(opts.duration.as_secs() as i32),
                acquire_time: Some(now.clone()),
                renew_time: Some(now.clone()),
                lease_transitions: Some(transitions),
                ..LeaseSpec::default()
            }),
        };
        let mut takeover = None;
        // Two rounds: a create that races with another creator re-reads once.
        for _ in 0..2 {
            let existing = api
                .get_opt(&name)
                .await
                .map_err(|e| self.error("reading release lock", e))?;
            let result = match existing {
                None => api.create(&PostParams::default(), &fresh(None, 0)).await,
                Some(cur) => {
                    let Some(why) = stale_reason(&cur) else {
                        let mut holder = holder_of(&cur);
                        if holder.operation.is_empty() {
                            holder.operation = "unknown".into();
                        }
                        return Err(Error::Locked(Box::new(crate::error::LockedBy {
                            release: release.into(),
                            holder,
                            namespace: namespace.into(),
                            lease: name,
                        })));
                    };
                    takeover = Some(Takeover {
                        previous: holder_of(&cur),
                        why,
                    });
                    let transitions = cur
                        .spec
                        .as_ref()
                        .and_then(|s| s.lease_transitions)
                        .unwrap_or(0)
                        + 1;
                    // Replace with the read resourceVersion: of two processes
                    // taking over the same stale lock, only one wins.
                    api.replace(
                        &name,
                        &PostParams::default(),
                        &fresh(cur.metadata.resource_version.clone(), transitions),
                    )
                    .await
                }
            };
            match result {
                Ok(_) => {
                    let lost = Arc::new(AtomicBool::new(false));
                    let renewer = spawn_renewer(
                        api.clone(),
                        name.clone(),
                        me.clone(),
                        opts.renew_every,
                        lost.clone(),
                    );
                    return Ok(LeaseGuard {
                        api,
                        name,
                        identity: me,
                        renewer,
                        lost,
                        takeover: takeover.filter(|t| t.why != "released"),
                    });
                }
                Err(kube::Error::Api(s)) if s.code == 409 => continue,
                Err(e) => return Err(self.error("taking release lock", e)),
            }
        }
        Err(Error::Wait(format!(
            "could not take the lock of release {release:?}: it changed while taking it, retry"
        )))
    }

    /// Who holds the lock of `release` now, if anyone live does.
    pub async fn lease_holder(
        &self,
        namespace: &str,
        release: &str,
    ) -> Result<Option<Holder>, Error> {
        let api: Api<Lease> = Api::namespaced(self.client().clone(), namespace);
        let cur = api
            .get_opt(&lease_name(release))
            .await
            .map_err(|e| self.error("reading release lock", e))?;
        Ok(cur
            .filter(|l| stale_reason(l).is_none())
            .map(|l| holder_of(&l)))
    }
}

fn spawn_renewer(
    api: Api<Lease>,
    name: String,
    me: String,
    every: Duration,
    lost: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            let Ok(Some(mut cur)) = api.get_opt(&name).await else {
                continue;
            };
            let spec = cur.spec.get_or_insert_with(LeaseSpec::default);
            if spec.holder_identity.as_deref() != Some(me.as_str()) {
                lost.store(true, Ordering::SeqCst);
                return;
            }
            spec.renew_time = Some(MicroTime(Timestamp::now()));
            let _ = api.replace(&name, &PostParams::default(), &cur).await;
        }
    })
}

impl LeaseGuard {
    /// Whether another process took the lock from us (we stopped renewing
    /// for longer than its duration).
    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }

    /// The Lease name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Stops renewing and deletes the Lease if it is still ours.
    pub async fn release(self) -> Result<(), Error> {
        self.renewer.abort();
        let Some(cur) = self
            .api
            .get_opt(&self.name)
            .await
            .map_err(|e| Error::api("reading release lock", e))?
        else {
            return Ok(());
        };
        if cur.spec.as_ref().and_then(|s| s.holder_identity.as_deref())
            != Some(self.identity.as_str())
        {
            return Ok(());
        }
        let dp = DeleteParams {
            preconditions: Some(Preconditions {
                resource_version: cur.metadata.resource_version.clone(),
                uid: None,
            }),
            ..DeleteParams::default()
        };
        match self.api.delete(&self.name, &dp).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(s)) if s.code == 404 || s.code == 409 => Ok(()),
            Err(e) => Err(Error::api("releasing release lock", e)),
        }
    }
}

impl Drop for LeaseGuard {
    fn drop(&mut self) {
        self.renewer.abort();
    }
}

//! Waiting for objects, driven by watches (one field-selected watch per
//! object), with a progress callback and a timeout report naming what was
//! not ready and the last reason seen (pod container states, Warning events).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::StreamExt;
use kube::api::{DynamicObject, ListParams};
use kube::runtime::watcher::{self, Event};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::ready::{self, Readiness, Rules};
use crate::{Error, Kube, ObjectRef};

/// How to wait.
#[derive(Clone, Copy, Debug)]
pub struct WaitOptions {
    /// Give up after this long (Helm's `--timeout`, default 5m).
    pub timeout: Duration,
    /// Which readiness rules apply.
    pub rules: Rules,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(300),
            rules: Rules::default(),
        }
    }
}

/// One object that was not ready at the end.
#[derive(Clone, Debug)]
pub struct NotReady {
    /// The object.
    pub object: ObjectRef,
    /// The last reason seen.
    pub reason: String,
}

/// The outcome of a wait that finished.
#[derive(Clone, Debug, Default)]
pub struct WaitReport {
    /// How long it took.
    pub elapsed: Duration,
}

/// What a watch task reports: the object (or `None` when absent).
type Update = (usize, Option<Value>);

impl Kube {
    fn spawn_watch(
        &self,
        idx: usize,
        r: &ObjectRef,
        info: &crate::ResourceInfo,
        tx: mpsc::UnboundedSender<Update>,
    ) -> tokio::task::JoinHandle<()> {
        let api = self.api(info, &r.namespace);
        let cfg = watcher::Config::default().fields(&format!("metadata.name={}", r.name));
        let (kind, api_version) = (r.kind.clone(), r.api_version.clone());
        tokio::spawn(async move {
            let mut stream = std::pin::pin!(watcher::watcher::<DynamicObject>(api, cfg));
            let mut seen = false;
            while let Some(ev) = stream.next().await {
                let msg = match ev {
                    Ok(Event::Init) => {
                        seen = false;
                        continue;
                    }
                    Ok(Event::InitApply(o)) | Ok(Event::Apply(o)) => {
                        seen = true;
                        // List items come without apiVersion/kind; readiness
                        // is decided by kind, so put them back.
                        serde_json::to_value(&o).ok().map(|mut v| {
                            v["kind"] = Value::String(kind.clone());
                            v["apiVersion"] = Value::String(api_version.clone());
                            v
                        })
                    }
                    Ok(Event::InitDone) if !seen => None,
                    Ok(Event::InitDone) => continue,
                    Ok(Event::Delete(_)) => None,
                    // The watcher retries on its own; keep going.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        continue;
                    }
                };
                if tx.send((idx, msg)).is_err() {
                    return;
                }
            }
        })
    }

    /// Waits until every object is ready, calling `progress` with a line for
    /// every change (`deployment/gateway 1/2 available`). Fails at once when
    /// an object reaches a terminal failure, and on timeout lists every
    /// object not ready with its last reason.
    pub async fn wait_ready(
        &self,
        refs: &[ObjectRef],
        opts: WaitOptions,
        progress: &mut (dyn FnMut(&str) + Send),
    ) -> Result<WaitReport, Error> {
        let start = Instant::now();
        let (tx, mut rx) = mpsc::unbounded_channel::<Update>();
        let mut tasks = Vec::new();
        let mut state: BTreeMap<usize, Readiness> = BTreeMap::new();
        for (i, r) in refs.iter().enumerate() {
            let info = self.info_for(r).await?;
            let trivially_ready =
                matches!(
                    r.kind.as_str(),
                    "ConfigMap"
                        | "Secret"
                        | "ServiceAccount"
                        | "Role"
                        | "RoleBinding"
                        | "ClusterRole"
                        | "ClusterRoleBinding"
                        | "NetworkPolicy"
                        | "PodDisruptionBudget"
                        | "HorizontalPodAutoscaler"
                        | "CronJob"
                        | "Ingress"
                        | "IngressClass"
                        | "LimitRange"
                        | "ResourceQuota"
                        | "PriorityClass"
                        | "StorageClass"
                ) || (opts.rules.hooks_only && r.kind != "Job" && r.kind != "Pod");
            if trivially_ready {
                continue;
            }
            state.insert(i, Readiness::Waiting("waiting for first status".into()));
            tasks.push(self.spawn_watch(i, r, &info, tx.clone()));
        }
        drop(tx);
        let deadline = tokio::time::Instant::now() + opts.timeout;
        let result = loop {
            if state.values().all(Readiness::is_ready) {
                break Ok(());
            }
            let next = tokio::time::timeout_at(deadline, rx.recv()).await;
            let (i, obj) = match next {
                Err(_) => break Err(()),
                Ok(None) => break Err(()),
                Ok(Some(u)) => u,
            };
            let now = match &obj {
                None => Readiness::Waiting("not found".into()),
                Some(o) => ready::readiness(o, opts.rules),
            };
            if state.get(&i) != Some(&now) {
                let line = match &now {
                    Readiness::Ready => format!("{} ready", refs[i].short()),
                    Readiness::Waiting(w) => format!("{} {w}", refs[i].short()),
                    Readiness::Failed(f) => format!("{} failed: {f}", refs[i].short()),
                };
                progress(&line);
                if let Readiness::Failed(f) = &now {
                    let r = &refs[i];
                    for t in &tasks {
                        t.abort();
                    }
                    return Err(Error::Wait(format!(
                        "resource {r} not ready. status: Failed, message: {f}"
                    )));
                }
                state.insert(i, now);
            }
        };
        for t in &tasks {
            t.abort();
        }
        match result {
            Ok(()) => Ok(WaitReport {
                elapsed: start.elapsed(),
            }),
            Err(()) => {
                let mut lines = Vec::new();
                for (i, st) in &state {
                    if let Readiness::Waiting(w) = st {
                        let extra = self.explain(&refs[*i]).await;
                        lines.push(format!(
                            "{} {w}{}",
                            refs[*i],
                            extra.map(|e| format!(" ({e})")).unwrap_or_default()
                        ));
                    }
                }
                Err(Error::Wait(format!(
                    "timed out after {}s waiting for {} resource(s) to be ready: {}",
                    opts.timeout.as_secs(),
                    lines.len(),
                    lines.join("; ")
                )))
            }
        }
    }

    /// Waits until every object is gone.
    pub async fn wait_deleted(&self, refs: &[ObjectRef], timeout: Duration) -> Result<(), Error> {
        let (tx, mut rx) = mpsc::unbounded_channel::<Update>();
        let mut tasks = Vec::new();
        let mut present: BTreeMap<usize, bool> = BTreeMap::new();
        for (i, r) in refs.iter().enumerate() {
            let Some(info) = self.resolve(&r.api_version, &r.kind).await? else {
                continue;
            };
            present.insert(i, true);
            tasks.push(self.spawn_watch(i, r, &info, tx.clone()));
        }
        drop(tx);
        let deadline = tokio::time::Instant::now() + timeout;
        let out = loop {
            if present.values().all(|p| !p) {
                break Ok(());
            }
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some((i, obj))) => {
                    present.insert(i, obj.is_some());
                }
                _ => {
                    let left: Vec<String> = present
                        .iter()
                        .filter(|(_, p)| **p)
                        .map(|(i, _)| refs[*i].to_string())
                        .collect();
                    break Err(Error::Wait(format!(
                        "timed out waiting for deletion of: {}",
                        left.join(", ")
                    )));
                }
            }
        };
        for t in &tasks {
            t.abort();
        }
        out
    }

    /// The last reason something is not ready: its pods' container states
    /// and its newest Warning event.
    pub async fn explain(&self, r: &ObjectRef) -> Option<String> {
        let mut parts = Vec::new();
        if let Ok(Some(obj)) = self.get(r).await {
            let obj = serde_json::to_value(&obj).unwrap_or(Value::Null);
            if let Some(labels) = obj
                .pointer("/spec/selector/matchLabels")
                .and_then(Value::as_object)
            {
                let sel: Vec<String> = labels
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                    .collect();
                if let Ok(pods) = self.list("v1", "Pod", &r.namespace, &sel.join(",")).await {
                    for p in pods {
                        let pv = serde_json::to_value(&p).unwrap_or(Value::Null);
                        if let Some(why) = ready::pod_reason(&pv) {
                            parts.push(format!(
                                "pod {}: {why}",
                                p.metadata.name.unwrap_or_default()
                            ));
                            break;
                        }
                    }
                }
            }
        }
        if let Some(ev) = self.last_warning(r).await {
            parts.push(ev);
        }
        if parts.is_empty() {
            None
        } else {
            Some(parts.join("; "))
        }
    }

    async fn last_warning(&self, r: &ObjectRef) -> Option<String> {
        let info = self.resolve("v1", "Event").await.ok()??;
        let api = self.api(&info, &r.namespace);
        let lp =
            ListParams::default().fields(&format!("involvedObject.name={},type=Warning", r.name));
        let list = api.list(&lp).await.ok()?;
        let last = list.items.into_iter().max_by_key(|e| {
            e.data
                .get("lastTimestamp")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_default()
        })?;
        let reason = last
            .data
            .get("reason")
            .and_then(Value::as_str)
            .unwrap_or("");
        let msg = last
            .data
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("");
        Some(format!("event {reason}: {msg}"))
    }
}

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

/// What a watch task reports.
enum Update {
    /// Object `idx` as now seen (`None`: absent).
    Object(usize, Option<Value>),
    /// The pods of Job `idx` are being listed again: forget those known.
    PodsReset(usize),
    /// A pod of Job `idx`, by name (`None`: deleted).
    Pod(usize, String, Option<Value>),
}

/// The progress line for one object's readiness, as [`Kube::wait_ready`]
/// reports every change: `deployment/gateway 1/2 available`,
/// `job/migrate ready`, `pod/x failed: why`.
pub fn state_line(r: &ObjectRef, st: &Readiness) -> String {
    match st {
        Readiness::Ready => format!("{} ready", r.short()),
        Readiness::Waiting(w) => format!("{} {w}", r.short()),
        Readiness::Failed(f) => format!("{} failed: {f}", r.short()),
    }
}

/// The words that end the progress lines of applying and deleting
/// (`service/x created`), which are events rather than readiness states.
const EVENT_WORDS: [&str; 5] = ["created", "configured", "deleted", "unchanged", "kept"];

/// Reads a progress line back as `(resource, state)` when it is a
/// readiness line made by [`state_line`] (`deployment/gateway`,
/// `1/2 available`); `None` for every other progress line (applied,
/// deleted, hooks running, lock messages, summaries). Terminal displays use
/// it to keep one row per resource.
pub fn parse_state_line(line: &str) -> Option<(&str, &str)> {
    let (res, state) = line.split_once(' ')?;
    let (kind, name) = res.split_once('/')?;
    let kind_ok = !kind.is_empty()
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let first = state.split([' ', ':']).next().unwrap_or("");
    if !kind_ok || name.is_empty() || state.is_empty() || EVENT_WORDS.contains(&first) {
        return None;
    }
    Some((res, state))
}

/// Kinds with no readiness to wait for (Helm's waiters treat them as ready
/// once they exist).
fn trivially_ready(kind: &str) -> bool {
    matches!(
        kind,
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
    )
}

/// Where one group of objects is watched: one kind in one namespace.
type GroupKey = (String, String, String);

impl Kube {
    /// Watches the objects of one kind in one namespace with a single
    /// watch (the objects of a release share few kinds, so this keeps
    /// connections and LISTs to a handful, as Helm's kstatus watcher does
    /// per GroupKind and namespace). One object is watched by field selector.
    fn spawn_group_watch(
        &self,
        info: &crate::ResourceInfo,
        key: &GroupKey,
        names: BTreeMap<String, usize>,
        tx: mpsc::UnboundedSender<Update>,
    ) -> tokio::task::JoinHandle<()> {
        let (api_version, kind, ns) = key.clone();
        let api = self.api(info, &ns);
        let mut cfg = watcher::Config::default();
        if names.len() == 1
            && let Some(only) = names.keys().next()
        {
            cfg = cfg.fields(&format!("metadata.name={only}"));
        }
        tokio::spawn(async move {
            let mut stream = std::pin::pin!(watcher::watcher::<DynamicObject>(api, cfg));
            let mut seen = std::collections::BTreeSet::new();
            while let Some(ev) = stream.next().await {
                let (idx, obj) = match ev {
                    Ok(Event::Init) => {
                        seen.clear();
                        continue;
                    }
                    Ok(Event::InitApply(o)) | Ok(Event::Apply(o)) => {
                        let Some(&i) = o.metadata.name.as_ref().and_then(|n| names.get(n)) else {
                            continue;
                        };
                        seen.insert(i);
                        // List items come without apiVersion/kind; readiness
                        // is decided by kind, so put them back.
                        let v = serde_json::to_value(&o).ok().map(|mut v| {
                            v["kind"] = Value::String(kind.clone());
                            v["apiVersion"] = Value::String(api_version.clone());
                            v
                        });
                        (i, v)
                    }
                    Ok(Event::InitDone) => {
                        for &i in names.values().filter(|i| !seen.contains(*i)) {
                            if tx.send(Update::Object(i, None)).is_err() {
                                return;
                            }
                        }
                        continue;
                    }
                    Ok(Event::Delete(o)) => {
                        let Some(&i) = o.metadata.name.as_ref().and_then(|n| names.get(n)) else {
                            continue;
                        };
                        seen.remove(&i);
                        (i, None)
                    }
                    // The watcher retries on its own; keep going.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        continue;
                    }
                };
                if tx.send(Update::Object(idx, obj)).is_err() {
                    return;
                }
            }
        })
    }

    /// Watches the pods of Job `r` (label `job-name`, set by the Job
    /// controller on every Kubernetes version), for [`ready::job_done_by_pods`].
    async fn spawn_job_pods_watch(
        &self,
        idx: usize,
        r: &ObjectRef,
        tx: mpsc::UnboundedSender<Update>,
    ) -> Result<tokio::task::JoinHandle<()>, Error> {
        let pod = ObjectRef {
            api_version: "v1".into(),
            kind: "Pod".into(),
            namespace: r.namespace.clone(),
            name: String::new(),
        };
        let info = self.info_for(&pod).await?;
        let api = self.api(&info, &r.namespace);
        let cfg = watcher::Config::default().labels(&format!("job-name={}", r.name));
        Ok(tokio::spawn(async move {
            let mut stream = std::pin::pin!(watcher::watcher::<DynamicObject>(api, cfg));
            while let Some(ev) = stream.next().await {
                let u = match ev {
                    Ok(Event::Init) => Update::PodsReset(idx),
                    Ok(Event::InitApply(o)) | Ok(Event::Apply(o)) => {
                        let name = o.metadata.name.clone().unwrap_or_default();
                        Update::Pod(idx, name, serde_json::to_value(&o).ok())
                    }
                    Ok(Event::Delete(o)) => {
                        Update::Pod(idx, o.metadata.name.clone().unwrap_or_default(), None)
                    }
                    Ok(Event::InitDone) => continue,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        continue;
                    }
                };
                if tx.send(u).is_err() {
                    return;
                }
            }
        }))
    }

    /// Waits until every object is ready, calling `progress` with a line for
    /// every change (`deployment/gateway 1/2 available`, see [`state_line`])
    /// and a summary at the end. Fails at once when an object reaches a
    /// terminal failure, and on timeout lists every object not ready with
    /// its last reason.
    ///
    /// Jobs that must complete are also judged from their pods: a one-pod
    /// Job whose own pod has succeeded is done, without waiting the second
    /// the Job controller takes to write `Complete` ([`ready::job_done_by_pods`]).
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
        let mut groups: BTreeMap<GroupKey, BTreeMap<String, usize>> = BTreeMap::new();
        for (i, r) in refs.iter().enumerate() {
            if trivially_ready(&r.kind)
                || (opts.rules.hooks_only && r.kind != "Job" && r.kind != "Pod")
            {
                continue;
            }
            state.insert(i, Readiness::Waiting("waiting for first status".into()));
            groups
                .entry((r.api_version.clone(), r.kind.clone(), r.namespace.clone()))
                .or_default()
                .insert(r.name.clone(), i);
            if r.kind == "Job" && opts.rules.jobs_complete {
                tasks.push(self.spawn_job_pods_watch(i, r, tx.clone()).await?);
            }
        }
        for (key, names) in groups {
            let first = &refs[*names.values().next().expect("non-empty group")];
            let info = self.info_for(first).await?;
            tasks.push(self.spawn_group_watch(&info, &key, names, tx.clone()));
        }
        drop(tx);
        let mut objects: BTreeMap<usize, Option<Value>> = BTreeMap::new();
        let mut pods: BTreeMap<usize, BTreeMap<String, Value>> = BTreeMap::new();
        let deadline = tokio::time::Instant::now() + opts.timeout;
        let result = loop {
            if state.values().all(Readiness::is_ready) {
                break Ok(());
            }
            let i = match tokio::time::timeout_at(deadline, rx.recv()).await {
                Err(_) | Ok(None) => break Err(()),
                Ok(Some(Update::Object(i, obj))) => {
                    objects.insert(i, obj);
                    i
                }
                Ok(Some(Update::PodsReset(i))) => {
                    pods.remove(&i);
                    i
                }
                Ok(Some(Update::Pod(i, name, pod))) => {
                    let known = pods.entry(i).or_default();
                    match pod {
                        Some(p) => known.insert(name, p),
                        None => known.remove(&name),
                    };
                    i
                }
            };
            let now = match objects.get(&i) {
                // Pods seen before their Job's first status.
                None => continue,
                Some(None) => Readiness::Waiting("not found".into()),
                Some(Some(o)) => match ready::readiness(o, opts.rules) {
                    Readiness::Waiting(_)
                        if opts.rules.jobs_complete
                            && refs[i].kind == "Job"
                            && ready::job_done_by_pods(
                                o,
                                pods.get(&i).into_iter().flat_map(|m| m.values()),
                            ) =>
                    {
                        Readiness::Ready
                    }
                    r => r,
                },
            };
            if state.get(&i) != Some(&now) {
                progress(&state_line(&refs[i], &now));
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
            Ok(()) => {
                let elapsed = start.elapsed();
                // Worded so that it is not read back as a readiness line.
                let secs = elapsed.as_secs_f64();
                match state.keys().next() {
                    None => {}
                    Some(&only) if state.len() == 1 => {
                        progress(&format!("ready in {secs:.1}s: {}", refs[only].short()));
                    }
                    Some(_) => progress(&format!(
                        "all {} resources ready in {secs:.1}s",
                        state.len()
                    )),
                }
                Ok(WaitReport { elapsed })
            }
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
            let key = (r.api_version.clone(), r.kind.clone(), r.namespace.clone());
            let names = BTreeMap::from([(r.name.clone(), i)]);
            tasks.push(self.spawn_group_watch(&info, &key, names, tx.clone()));
        }
        drop(tx);
        let deadline = tokio::time::Instant::now() + timeout;
        let out = loop {
            if present.values().all(|p| !p) {
                break Ok(());
            }
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(Update::Object(i, obj))) => {
                    present.insert(i, obj.is_some());
                }
                Ok(Some(_)) => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_lines_read_back_and_event_lines_do_not() {
        let r = ObjectRef {
            api_version: "apps/v1".into(),
            kind: "Deployment".into(),
            namespace: "ns".into(),
            name: "gateway".into(),
        };
        for st in [
            Readiness::Waiting("1/2 available".into()),
            Readiness::Ready,
            Readiness::Failed("job m failed: BackoffLimitExceeded".into()),
        ] {
            let line = state_line(&r, &st);
            let (res, rest) = parse_state_line(&line).expect(&line);
            assert_eq!(res, "deployment/gateway");
            assert!(line.ends_with(rest));
        }
        for line in [
            "service/x created",
            "service/x configured",
            "service/x deleted",
            "service/x kept (helm.sh/resource-policy: keep)",
            "running post-install hook job/bucket-init",
            "all 13 resources ready in 0.4s",
            "ready in 1.0s: job/bucket-init",
            "recovered release r: revision 2 was left pending-upgrade",
        ] {
            assert_eq!(parse_state_line(line), None, "{line}");
        }
    }
}

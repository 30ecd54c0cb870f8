//! Readiness of one live object, per kind, as a pure function of its JSON.
//!
//! The rules follow Helm 4's kstatus waiter (`--wait=watcher`) and, where it
//! is stricter and users expect it, Helm's legacy checks (a Service of type
//! LoadBalancer waits for its ingress; Jobs need `Complete` when
//! `--wait-for-jobs` is set). Every "not yet" carries a short human reason
//! such as `1/2 available`.

use serde_json::Value;

/// One object's state as far as waiting is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// Done.
    Ready,
    /// Not yet, and why.
    Waiting(String),
    /// Will not become ready without a change (terminal).
    Failed(String),
}

impl Readiness {
    /// Whether this is `Ready`.
    pub fn is_ready(&self) -> bool {
        matches!(self, Readiness::Ready)
    }
}

fn int(v: &Value, path: &[&str]) -> Option<i64> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_i64()
}

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

/// `status.conditions[type=t]` as `(status, reason, message)`.
pub fn condition<'a>(obj: &'a Value, t: &str) -> Option<(&'a str, &'a str, &'a str)> {
    obj.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(t))
        .map(|c| {
            (
                c.get("status").and_then(Value::as_str).unwrap_or(""),
                c.get("reason").and_then(Value::as_str).unwrap_or(""),
                c.get("message").and_then(Value::as_str).unwrap_or(""),
            )
        })
}

/// What to require of Jobs and which kinds count.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rules {
    /// Jobs must complete (`--wait-for-jobs`, and always for hooks).
    pub jobs_complete: bool,
    /// Hook mode: only Jobs and Pods are waited for (Helm's hook watcher).
    pub hooks_only: bool,
}

/// The readiness of `obj` (a live object as JSON).
pub fn readiness(obj: &Value, rules: Rules) -> Readiness {
    let kind = text(obj, &["kind"]).unwrap_or("");
    if obj.pointer("/metadata/deletionTimestamp").is_some() {
        return Readiness::Waiting("terminating".into());
    }
    if rules.hooks_only && kind != "Job" && kind != "Pod" {
        return Readiness::Ready;
    }
    match kind {
        "Deployment" => deployment(obj),
        "StatefulSet" => statefulset(obj),
        "DaemonSet" => daemonset(obj),
        "ReplicaSet" | "ReplicationController" => replicaset(obj),
        "Pod" => pod(obj),
        "Job" => job(obj, rules.jobs_complete),
        "PersistentVolumeClaim" => match text(obj, &["status", "phase"]) {
            Some("Bound") => Readiness::Ready,
            p => Readiness::Waiting(format!("phase {}", p.unwrap_or("Pending"))),
        },
        "Service" => service(obj),
        "CustomResourceDefinition" => match condition(obj, "Established") {
            Some(("True", _, _)) => Readiness::Ready,
            _ => match condition(obj, "NamesAccepted") {
                Some(("False", r, m)) => Readiness::Failed(format!("names not accepted: {r} {m}")),
                _ => Readiness::Waiting("not established".into()),
            },
        },
        _ => generic(obj),
    }
}

fn generation_observed(obj: &Value) -> bool {
    match (
        int(obj, &["metadata", "generation"]),
        int(obj, &["status", "observedGeneration"]),
    ) {
        (Some(g), Some(o)) => o >= g,
        (Some(_), None) => false,
        _ => true,
    }
}

fn deployment(obj: &Value) -> Readiness {
    if obj.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
        return Readiness::Ready;
    }
    if let Some(("False", "ProgressDeadlineExceeded", m)) = condition(obj, "Progressing") {
        return Readiness::Failed(format!("progress deadline exceeded: {m}"));
    }
    if !generation_observed(obj) {
        return Readiness::Waiting("rollout not yet observed".into());
    }
    let want = int(obj, &["spec", "replicas"]).unwrap_or(1);
    let updated = int(obj, &["status", "updatedReplicas"]).unwrap_or(0);
    let total = int(obj, &["status", "replicas"]).unwrap_or(0);
    let available = int(obj, &["status", "availableReplicas"]).unwrap_or(0);
    if updated < want {
        return Readiness::Waiting(format!("{updated}/{want} updated"));
    }
    if total > updated {
        return Readiness::Waiting(format!(
            "{} old replicas pending termination",
            total - updated
        ));
    }
    if available < want {
        return Readiness::Waiting(format!("{available}/{want} available"));
    }
    Readiness::Ready
}

fn statefulset(obj: &Value) -> Readiness {
    if !generation_observed(obj) {
        return Readiness::Waiting("rollout not yet observed".into());
    }
    let want = int(obj, &["spec", "replicas"]).unwrap_or(1);
    let ready = int(obj, &["status", "readyReplicas"]).unwrap_or(0);
    let rolling = text(obj, &["spec", "updateStrategy", "type"]).unwrap_or("RollingUpdate")
        == "RollingUpdate";
    if rolling {
        let partition = int(
            obj,
            &["spec", "updateStrategy", "rollingUpdate", "partition"],
        )
        .unwrap_or(0);
        let updated = int(obj, &["status", "updatedReplicas"]).unwrap_or(0);
        if updated < want - partition {
            return Readiness::Waiting(format!("{updated}/{} updated", want - partition));
        }
        if partition == 0
            && text(obj, &["status", "currentRevision"]) != text(obj, &["status", "updateRevision"])
        {
            return Readiness::Waiting("revision update in progress".into());
        }
    }
    if ready < want {
        return Readiness::Waiting(format!("{ready}/{want} ready"));
    }
    Readiness::Ready
}

fn daemonset(obj: &Value) -> Readiness {
    if !generation_observed(obj) {
        return Readiness::Waiting("rollout not yet observed".into());
    }
    let desired = int(obj, &["status", "desiredNumberScheduled"]).unwrap_or(0);
    let updated = int(obj, &["status", "updatedNumberScheduled"]).unwrap_or(0);
    let ready = int(obj, &["status", "numberReady"]).unwrap_or(0);
    if updated < desired {
        return Readiness::Waiting(format!("{updated}/{desired} updated"));
    }
    if ready < desired {
        return Readiness::Waiting(format!("{ready}/{desired} ready"));
    }
    Readiness::Ready
}

fn replicaset(obj: &Value) -> Readiness {
    if !generation_observed(obj) {
        return Readiness::Waiting("rollout not yet observed".into());
    }
    let want = int(obj, &["spec", "replicas"]).unwrap_or(1);
    let ready = int(obj, &["status", "readyReplicas"]).unwrap_or(0);
    if ready < want {
        return Readiness::Waiting(format!("{ready}/{want} ready"));
    }
    Readiness::Ready
}

/// The first container waiting/terminated reason of a pod, e.g.
/// `ImagePullBackOff: Back-off pulling image "x"`.
pub fn pod_reason(obj: &Value) -> Option<String> {
    for key in ["initContainerStatuses", "containerStatuses"] {
        let Some(list) = obj
            .pointer(&format!("/status/{key}"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        for c in list {
            for state in ["waiting", "terminated"] {
                if let Some(s) = c.pointer(&format!("/state/{state}")) {
                    let reason = s.get("reason").and_then(Value::as_str).unwrap_or("");
                    if state == "terminated" && reason == "Completed" {
                        continue;
                    }
                    let msg = s.get("message").and_then(Value::as_str).unwrap_or("");
                    if !reason.is_empty() {
                        return Some(if msg.is_empty() {
                            reason.to_string()
                        } else {
                            format!("{reason}: {msg}")
                        });
                    }
                }
            }
        }
    }
    if let Some(("False", r, m)) = condition(obj, "PodScheduled") {
        return Some(format!("{r}: {m}"));
    }
    None
}

fn pod(obj: &Value) -> Readiness {
    match text(obj, &["status", "phase"]) {
        Some("Succeeded") => return Readiness::Ready,
        Some("Failed") => {
            let why =
                pod_reason(obj).or_else(|| text(obj, &["status", "reason"]).map(str::to_string));
            return Readiness::Failed(format!(
                "pod failed{}",
                why.map(|w| format!(": {w}")).unwrap_or_default()
            ));
        }
        _ => {}
    }
    if let Some(("True", _, _)) = condition(obj, "Ready") {
        return Readiness::Ready;
    }
    let phase = text(obj, &["status", "phase"]).unwrap_or("Pending");
    Readiness::Waiting(match pod_reason(obj) {
        Some(r) => format!("{phase}, {r}"),
        None => format!("{phase}, not ready"),
    })
}

fn job(obj: &Value, complete: bool) -> Readiness {
    let name = text(obj, &["metadata", "name"]).unwrap_or("");
    if let Some(("True", r, m)) = condition(obj, "Failed") {
        return Readiness::Failed(format!(
            "job {name} failed: {r}{}",
            if m.is_empty() {
                String::new()
            } else {
                format!(" ({m})")
            }
        ));
    }
    if !complete {
        return Readiness::Ready;
    }
    if let Some(("True", _, _)) = condition(obj, "Complete") {
        return Readiness::Ready;
    }
    let want = int(obj, &["spec", "completions"]).unwrap_or(1);
    let ok = int(obj, &["status", "succeeded"]).unwrap_or(0);
    let failed = int(obj, &["status", "failed"]).unwrap_or(0);
    let extra = if failed > 0 {
        format!(", {failed} failed")
    } else {
        String::new()
    };
    Readiness::Waiting(format!("{ok}/{want} complete{extra}"))
}

/// Whether a Job's work is done as seen from its pods, before the Job
/// controller writes `Complete` (it batches pod updates for a second,
/// `syncJobBatchPeriod`, so the condition lags the pod by about that).
/// Only for the one-pod shape hooks use — `completions` and `parallelism`
/// unset or 1, not Indexed with a success policy — and only for pods this
/// Job owns (`ownerReferences` uid), not those of a same-named Job deleted
/// by `before-hook-creation` whose pods the garbage collector has not yet
/// removed. A failed Job is still judged by its own `Failed` condition.
pub fn job_done_by_pods<'a>(job: &Value, pods: impl IntoIterator<Item = &'a Value>) -> bool {
    let one = |key: &str| matches!(int(job, &["spec", key]), None | Some(1));
    if !one("completions") || !one("parallelism") || job.pointer("/spec/successPolicy").is_some() {
        return false;
    }
    if matches!(condition(job, "Failed"), Some(("True", _, _))) {
        return false;
    }
    let Some(uid) = text(job, &["metadata", "uid"]) else {
        return false;
    };
    pods.into_iter().any(|p| {
        text(p, &["status", "phase"]) == Some("Succeeded")
            && p.pointer("/metadata/ownerReferences")
                .and_then(Value::as_array)
                .is_some_and(|refs| {
                    refs.iter().any(|o| {
                        o.get("uid").and_then(Value::as_str) == Some(uid)
                            && o.get("controller").and_then(Value::as_bool) == Some(true)
                    })
                })
    })
}

fn service(obj: &Value) -> Readiness {
    match text(obj, &["spec", "type"]) {
        Some("ExternalName") => Readiness::Ready,
        Some("LoadBalancer") => {
            let ips = obj
                .pointer("/spec/externalIPs")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty());
            let ingress = obj
                .pointer("/status/loadBalancer/ingress")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty());
            if ips || ingress {
                Readiness::Ready
            } else {
                Readiness::Waiting("waiting for load balancer ingress".into())
            }
        }
        _ => Readiness::Ready,
    }
}

/// Custom resources and anything else: kstatus' generic rules.
fn generic(obj: &Value) -> Readiness {
    if obj.pointer("/status/observedGeneration").is_some() && !generation_observed(obj) {
        return Readiness::Waiting("generation not yet observed".into());
    }
    if let Some(("True", r, m)) = condition(obj, "Stalled") {
        return Readiness::Failed(format!("stalled: {r} {m}").trim().to_string());
    }
    if let Some(("True", r, _)) = condition(obj, "Reconciling") {
        return Readiness::Waiting(format!("reconciling {r}").trim().to_string());
    }
    match condition(obj, "Ready") {
        Some(("True", _, _)) | None => Readiness::Ready,
        Some((_, r, m)) => Readiness::Waiting(format!("not ready: {r} {m}").trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deployment_counts() {
        let d = json!({"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},
            "status":{"observedGeneration":2,"replicas":2,"updatedReplicas":2,"availableReplicas":1}});
        assert_eq!(
            readiness(&d, Rules::default()),
            Readiness::Waiting("1/2 available".into())
        );
        let d = json!({"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},
            "status":{"observedGeneration":1}});
        assert!(!readiness(&d, Rules::default()).is_ready());
    }

    #[test]
    fn jobs_and_custom_resources() {
        let j = json!({"kind":"Job","metadata":{"name":"m"},"status":{"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}});
        assert_eq!(
            readiness(&j, Rules::default()),
            Readiness::Failed("job m failed: BackoffLimitExceeded".into())
        );
        let j = json!({"kind":"Job","spec":{"completions":1},"status":{}});
        assert!(readiness(&j, Rules::default()).is_ready());
        assert!(
            !readiness(
                &j,
                Rules {
                    jobs_complete: true,
                    hooks_only: false
                }
            )
            .is_ready()
        );
        let cr = json!({"kind":"Gateway","metadata":{"generation":3},"status":{"observedGeneration":3,"conditions":[{"type":"Ready","status":"False","reason":"Pending"}]}});
        assert_eq!(
            readiness(&cr, Rules::default()),
            Readiness::Waiting("not ready: Pending".into())
        );
        assert!(readiness(&json!({"kind":"ConfigMap"}), Rules::default()).is_ready());
        assert!(
            readiness(
                &json!({"kind":"Deployment"}),
                Rules {
                    jobs_complete: true,
                    hooks_only: true
                }
            )
            .is_ready()
        );
    }

    #[test]
    fn job_done_by_its_own_succeeded_pod() {
        let job = json!({"kind":"Job","metadata":{"name":"b","uid":"u1"},"spec":{}});
        let pod = |uid: &str, phase: &str| json!({"metadata":{"ownerReferences":[{"uid":uid,"controller":true}]},"status":{"phase":phase}});
        assert!(job_done_by_pods(&job, &[pod("u1", "Succeeded")]));
        assert!(!job_done_by_pods(&job, &[pod("u1", "Running")]));
        // A pod of the previous Job of the same name does not count.
        assert!(!job_done_by_pods(&job, &[pod("u0", "Succeeded")]));
        let many = json!({"kind":"Job","metadata":{"uid":"u1"},"spec":{"completions":3}});
        assert!(!job_done_by_pods(&many, &[pod("u1", "Succeeded")]));
        let failed = json!({"kind":"Job","metadata":{"uid":"u1"},
            "status":{"conditions":[{"type":"Failed","status":"True"}]}});
        assert!(!job_done_by_pods(&failed, &[pod("u1", "Succeeded")]));
    }

    #[test]
    fn pod_reason_names_the_waiting_container() {
        let p = json!({"kind":"Pod","status":{"phase":"Pending","containerStatuses":[{"state":{"waiting":{"reason":"ImagePullBackOff"}}}]}});
        assert_eq!(
            readiness(&p, Rules::default()),
            Readiness::Waiting("Pending, ImagePullBackOff".into())
        );
    }
}

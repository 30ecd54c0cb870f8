//! `--wait` per kind on the real control plane: DaemonSet, StatefulSet with
//! a Bound claim, ReplicaSet, a bare Pod, a LoadBalancer Service and a
//! custom resource with a Ready condition. Nothing in the test cluster
//! provisions load balancers or runs operators, so the test plays both: it
//! watches the install wait on them, then writes the status a load-balancer
//! controller and an operator would, and the install must finish.

use std::io::Read;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Service;
use kube::Api;
use kube::api::{ApiResource, DeleteParams, DynamicObject, GroupVersionKind, Patch, PatchParams};
use serde_json::json;

use super::common;
use super::support::Env;

fn write_chart(dir: &std::path::Path, group: &str) {
    let files = [
        (
            "Chart.yaml",
            "apiVersion: v2\nname: kinds\nversion: 0.1.0\n".to_string(),
        ),
        (
            "crds/widget.yaml",
            format!(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n\
                 metadata:\n  name: widgets.{group}\nspec:\n  group: {group}\n  scope: Namespaced\n\
                 \x20 names: {{plural: widgets, singular: widget, kind: Widget}}\n\
                 \x20 versions:\n  - name: v1\n    served: true\n    storage: true\n\
                 \x20   schema: {{openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}}}\n"
            ),
        ),
        (
            "templates/widget.yaml",
            // No status subresource: the status below is stored as written,
            // as an operator's first report would be.
            format!(
                "apiVersion: {group}/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 1\n\
                 status:\n  conditions:\n  - type: Ready\n    status: \"False\"\n    reason: Provisioning\n"
            ),
        ),
        (
            "templates/workloads.yaml",
            r#"apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: busybox}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  replicas: 2
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec: {containers: [{name: r, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: lone}
spec: {containers: [{name: p, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: edge}
spec:
  type: LoadBalancer
  selector: {app: rs}
  ports: [{port: 80}]
"#
            .to_string(),
        ),
    ];
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

#[tokio::test]
async fn wait_covers_every_kind_and_names_what_it_waits_for() {
    let env = Env::new("lc-kinds").await;
    let group = format!("{}.lc.origanctl.test", common::unique_name("k"));
    let dir = std::env::temp_dir().join(common::unique_name("origanctl-kinds"));
    write_chart(&dir, &group);
    let chart = dir.display().to_string();

    let mut child = env.spawn_capture(&["install", "kinds", &chart, "--wait", "--timeout", "60s"]);
    let svcs: Api<Service> = Api::namespaced(env.client.clone(), &env.ns);
    let ar = ApiResource::from_gvk(&GroupVersionKind::gvk(&group, "v1", "Widget"));
    let widgets: Api<DynamicObject> = Api::namespaced_with(env.client.clone(), &env.ns, &ar);

    // Both objects exist and the install is still waiting on them.
    common::poll_until(
        Duration::from_secs(30),
        "Service and Widget applied",
        || {
            let (svcs, widgets) = (svcs.clone(), widgets.clone());
            async move {
                let s = svcs.get_opt("edge").await.ok().flatten()?;
                let w = widgets.get_opt("w").await.ok().flatten()?;
                Some((s, w))
            }
        },
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        child.try_wait().unwrap().is_none(),
        "install returned before the load balancer and the Widget were ready"
    );

    // The load-balancer controller's part, then the operator's.
    let pp = PatchParams::default();
    svcs.patch_status(
        "edge",
        &pp,
        &Patch::Merge(json!({"status": {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}]}}})),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        child.try_wait().unwrap().is_none(),
        "the Widget is still not Ready"
    );
    let t = Instant::now();
    widgets
        .patch(
            "w",
            &pp,
            &Patch::Merge(json!({"status": {"conditions": [
                {"type": "Ready", "status": "True", "reason": "Provisioned"}
            ]}})),
        )
        .await
        .unwrap();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "install did not finish"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{err}");
    // Watches, not polling: done well within Helm's 2 s poll interval.
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    // The progress named what each was waiting for.
    for what in [
        "service/edge",
        "waiting for load balancer ingress",
        "widget/w",
        "Provisioning",
    ] {
        assert!(
            err.contains(what),
            "progress does not mention {what:?}:\n{err}"
        );
    }
    let crds: Api<
        k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
    > = Api::all(env.client.clone());
    env.ok(&["uninstall", "kinds", "--wait"]);
    crds.delete(&format!("widgets.{group}"), &DeleteParams::default())
        .await
        .ok();
    std::fs::remove_dir_all(&dir).ok();
    env.done().await;
}

//! Helm's install and uninstall order of kinds
//! (`pkg/release/v1/util/kind_sorter.go`).
//!
//! Owns the order tables and the stable sort by kind; knows nothing of YAML.

/// `InstallOrder`: kinds created first come first.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// `UninstallOrder`: kinds deleted first come first.
pub const UNINSTALL_ORDER: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "APIService",
    "Ingress",
    "IngressClass",
    "Service",
    "CronJob",
    "Job",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "DaemonSet",
    "RoleBindingList",
    "RoleBinding",
    "RoleList",
    "Role",
    "ClusterRoleBindingList",
    "ClusterRoleBinding",
    "ClusterRoleList",
    "ClusterRole",
    "CustomResourceDefinition",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "ConfigMap",
    "SecretList",
    "Secret",
    "ServiceAccount",
    "PodDisruptionBudget",
    "PodSecurityPolicy",
    "LimitRange",
    "ResourceQuota",
    "NetworkPolicy",
    "Namespace",
    "PriorityClass",
];

/// Stable-sorts `items` by kind: kinds of `order` first, in that order, then
/// unknown kinds by name (byte order); equal kinds keep their input order.
pub fn sort_by_kind<T>(items: &mut [T], order: &[&str], kind: impl Fn(&T) -> &str) {
    let rank = |k: &str| order.iter().position(|o| *o == k);
    items.sort_by(|a, b| {
        let (ka, kb) = (kind(a), kind(b));
        match (rank(ka), rank(kb)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => ka.cmp(kb),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_kinds_first_then_unknown_by_name_stable() {
        let mut v = vec![
            ("Foo", 1),
            ("Service", 2),
            ("", 3),
            ("Bar", 4),
            ("Namespace", 5),
            ("Service", 6),
        ];
        sort_by_kind(&mut v, INSTALL_ORDER, |x| x.0);
        let got: Vec<i32> = v.iter().map(|x| x.1).collect();
        assert_eq!(got, vec![5, 2, 6, 3, 4, 1]);
    }

    #[test]
    fn uninstall_is_install_reversed() {
        let mut rev: Vec<&str> = INSTALL_ORDER.to_vec();
        rev.reverse();
        // Helm's uninstall order is not an exact reverse (Service moves up);
        // check only that both name the same kinds.
        let mut a = rev.clone();
        a.sort();
        let mut b = UNINSTALL_ORDER.to_vec();
        b.sort();
        assert_eq!(a, b);
    }
}

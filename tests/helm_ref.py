#!/usr/bin/env python3
"""Reference Helm (v4, through helm_python) as a JSON command-line tool for tests.

Owns: running real Helm actions on behalf of integration tests and printing the result as
JSON on stdout (exit 0), or {"error": ..., "error_type": ..., "code": ...} (exit 1).
Does not own: comparing results (tests do that), starting clusters or registries
(tests/env/*.sh), or creating the venv (tests/env/helm-ref.sh).

Run with any python3; it re-executes itself with .local/helm-venv/bin/python when
helm_python is not importable. Usage (see --help of each subcommand):

  helm_ref.py render CHART [-f values.yaml]... [--set k=v]... [--release R] [--namespace N]
                     [--is-upgrade] [--revision N] [--kubeconfig K]   # {"manifests": {path: text}}
  helm_ref.py template CHART ...same...   # {"manifest", "hooks", "notes"} of a client dry-run
  helm_ref.py lint CHART [-f ...] [--strict] [--kube-version v1.34.0]
  helm_ref.py package CHART --destination DIR [--version V] [--app-version A]
  helm_ref.py install|upgrade RELEASE CHART [-f ...] [--set ...] -n NS [--kubeconfig K]
                     [--wait watcher|legacy|hookOnly] [--timeout S] [--create-namespace] ...
  helm_ref.py rollback RELEASE [REVISION] -n NS      helm_ref.py uninstall RELEASE -n NS
  helm_ref.py history|status|get-values|get-all|get-metadata|test RELEASE -n NS
  helm_ref.py list [-n NS | -A] [--all]
  helm_ref.py push TGZ oci://HOST/PATH [--username U --password P] [--plain-http] [--ca-file]
  helm_ref.py pull oci://HOST/PATH/NAME --version V --destination DIR [--untar] ...
  helm_ref.py tags oci://HOST/PATH/NAME [...registry options]
  helm_ref.py show all|chart|values|readme|crds CHART|oci://HOST/PATH/NAME [--version V] [...]

Registry options default to .local/registry/env (REGISTRY_USER/REGISTRY_PASSWORD) when that
file exists; --ca-file (default: REGISTRY_CA for a host equal to REGISTRY_TLS) is applied
through SSL_CERT_FILE, which Go's crypto/x509 reads on first TLS use.
The kubeconfig defaults to $ORIGANCTL_TEST_KUBECONFIG, then .local/cluster/kubeconfig (never
$KUBECONFIG, which usually names a real cluster).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_PY = REPO_ROOT / ".local" / "helm-venv" / "bin" / "python"
REGISTRY_ENV = REPO_ROOT / ".local" / "registry" / "env"
CLUSTER_KUBECONFIG = REPO_ROOT / ".local" / "cluster" / "kubeconfig"


def _reexec_in_venv() -> None:
    """Switch to the helm venv's interpreter when helm_python is missing here."""
    try:
        import helm_python  # noqa: F401
    except ImportError:
        # The venv's python is usually a symlink to the system one: compare prefixes.
        if VENV_PY.exists() and Path(sys.prefix).resolve() != VENV_PY.parent.parent.resolve():
            os.execv(str(VENV_PY), [str(VENV_PY), __file__, *sys.argv[1:]])
        _fail("helm_python not importable; run `make helm-ref` (bash tests/env/helm-ref.sh)",
              "EnvironmentError")


def _fail(message: str, error_type: str, code: int | None = None) -> None:
    print(json.dumps({"error": message, "error_type": error_type, "code": code}))
    sys.exit(1)


def registry_env() -> dict[str, str]:
    """KEY=VALUE lines of .local/registry/env, or {} when the registry is not up."""
    out: dict[str, str] = {}
    if REGISTRY_ENV.exists():
        for line in REGISTRY_ENV.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                out[key.strip()] = value.strip()
    return out


# --- values -------------------------------------------------------------------------------


def _merge_maps(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Helm's values.MergeValues for -f files: maps merge recursively, anything else
    (lists included) is replaced by the later file."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_maps(out[key], value)
        else:
            out[key] = value
    return out


def _values(args: argparse.Namespace) -> dict[str, Any] | None:
    import helm_python as helm

    files = getattr(args, "values", None) or []
    sets = getattr(args, "set", None) or []
    set_strings = getattr(args, "set_string", None) or []
    set_jsons = getattr(args, "set_json", None) or []
    if not (files or sets or set_strings or set_jsons):
        return None
    merged: dict[str, Any] = {}
    for f in files:
        merged = _merge_maps(merged, helm.values_from_yaml(Path(f).read_text()) or {})
    # Helm applies --set-json, then --set, then --set-string, each parsed into the result.
    for expr in set_jsons:
        merged = _merge_maps(merged, helm.parse_set_json(expr))
    for expr in sets:
        merged = _merge_maps(merged, helm.parse_set_string(expr))
    for expr in set_strings:
        merged = _merge_maps(merged, helm.parse_set_string_values(expr))
    return merged


# --- clients ------------------------------------------------------------------------------


def _kubeconfig(args: argparse.Namespace) -> str:
    if getattr(args, "kubeconfig", None):
        return str(args.kubeconfig)
    # Not $KUBECONFIG: that usually names a developer's real cluster (see tests/common).
    if os.environ.get("ORIGANCTL_TEST_KUBECONFIG"):
        return os.environ["ORIGANCTL_TEST_KUBECONFIG"]
    return str(CLUSTER_KUBECONFIG)


def _config(args: argparse.Namespace) -> Any:
    import helm_python as helm

    return helm.Config(
        kubeconfig_path=_kubeconfig(args),
        namespace=getattr(args, "namespace", None) or "default",
        storage_driver=getattr(args, "storage_driver", None),
    )


def _registry_client(args: argparse.Namespace, host: str) -> Any:
    """A registry client with a private credentials file, logged in when we have creds."""
    import helm_python as helm

    creds_dir = tempfile.mkdtemp(prefix="helm-ref-creds-")
    client = helm.RegistryClient(
        plain_http=args.plain_http, credentials_file=os.path.join(creds_dir, "config.json")
    )
    if args.username:
        client.login(host, args.username, args.password or "", plain_http=args.plain_http,
                     insecure=args.insecure_skip_tls_verify)
    return client


def _oci_host(ref: str) -> str:
    return ref.removeprefix("oci://").split("/", 1)[0]


def _setup_registry_defaults(args: argparse.Namespace, ref: str) -> None:
    """Fill credentials / CA / plain-http from .local/registry/env for our own registries."""
    env = registry_env()
    host = _oci_host(ref)
    if args.username is None and host in (env.get("REGISTRY"), env.get("REGISTRY_TLS")):
        args.username = env.get("REGISTRY_USER")
        args.password = env.get("REGISTRY_PASSWORD")
    if args.ca_file is None and host == env.get("REGISTRY_TLS"):
        args.ca_file = env.get("REGISTRY_CA")
    if not args.plain_http and host == env.get("REGISTRY") and not args.no_auto_plain_http:
        args.plain_http = True
    if args.ca_file:
        # Must happen before the Go runtime first loads the system roots.
        os.environ["SSL_CERT_FILE"] = str(args.ca_file)


# --- commands -----------------------------------------------------------------------------


def cmd_render(args: argparse.Namespace) -> Any:
    import helm_python as helm

    values = _values(args)
    opts = dict(name=args.release, namespace=args.namespace, revision=args.revision,
                is_install=not args.is_upgrade, is_upgrade=args.is_upgrade)
    with helm.Chart.load(args.chart) as chart:
        if args.kubeconfig:
            with _config(args) as cfg:
                manifests = cfg.render(chart, values, **opts)
        else:
            manifests = chart.render(values, **opts)
    return {"manifests": manifests}


def cmd_template(args: argparse.Namespace) -> Any:
    """`helm template`: an install with a client-side dry run (no cluster contacted)."""
    values = _values(args)
    with _config(args) as cfg:
        rel = cfg.install(args.chart, args.release, values, namespace=args.namespace,
                          dry_run="client", chart_version=args.version)
    return rel


def cmd_lint(args: argparse.Namespace) -> Any:
    import helm_python as helm

    return helm.lint(args.chart, _values(args), strict=args.strict or None,
                     namespace=args.namespace, kube_version=args.kube_version,
                     with_subcharts=args.with_subcharts or None)


def cmd_package(args: argparse.Namespace) -> Any:
    import helm_python as helm

    path = helm.package(args.chart, destination=args.destination, version=args.version,
                        app_version=args.app_version)
    return {"path": path, "digest": helm.digest(path)}


def _chart_ref_setup(args: argparse.Namespace) -> tuple[Any, Any]:
    """For oci:// chart references: a logged-in client bound to the config."""
    cfg = _config(args)
    client = None
    if str(args.chart).startswith("oci://"):
        _setup_registry_defaults(args, args.chart)
        client = _registry_client(args, _oci_host(args.chart))
        cfg.set_registry_client(client)
    return cfg, client


def cmd_install(args: argparse.Namespace) -> Any:
    cfg, client = _chart_ref_setup(args)
    try:
        return cfg.install(
            args.chart, args.release, _values(args), namespace=args.namespace,
            timeout=args.timeout, wait=args.wait, dry_run=args.dry_run,
            create_namespace=args.create_namespace, rollback_on_failure=args.atomic,
            description=args.description, chart_version=args.version,
            plain_http=args.plain_http,
        )
    finally:
        cfg.close()
        if client is not None:
            client.close()


def cmd_upgrade(args: argparse.Namespace) -> Any:
    cfg, client = _chart_ref_setup(args)
    try:
        return cfg.upgrade(
            args.chart, args.release, _values(args), namespace=args.namespace,
            timeout=args.timeout, wait=args.wait, dry_run=args.dry_run,
            max_history=args.history_max, reset_values=args.reset_values,
            reuse_values=args.reuse_values, cleanup_on_fail=args.cleanup_on_fail,
            rollback_on_failure=args.atomic, description=args.description,
            chart_version=args.version, plain_http=args.plain_http,
        )
    finally:
        cfg.close()
        if client is not None:
            client.close()


def cmd_rollback(args: argparse.Namespace) -> Any:
    with _config(args) as cfg:
        cfg.rollback(args.release, version=args.revision, timeout=args.timeout, wait=args.wait)
        return {"history": cfg.history(args.release)}


def cmd_uninstall(args: argparse.Namespace) -> Any:
    with _config(args) as cfg:
        return cfg.uninstall(args.release, keep_history=args.keep_history, timeout=args.timeout,
                             wait=args.wait, ignore_not_found=args.ignore_not_found)


def cmd_history(args: argparse.Namespace) -> Any:
    with _config(args) as cfg:
        return {"history": cfg.history(args.release, max_revisions=args.max)}


def cmd_status(args: argparse.Namespace) -> Any:
    with _config(args) as cfg:
        return cfg.status(args.release, revision=args.revision)


def cmd_get_values(args: argparse.Namespace) -> Any:
    with _config(args) as cfg:
        return cfg.get_values(args.release, all_values=args.all, revision=args.revision)


def cmd_get_all(args: argparse.Namespace) -> Any:
    with _config(args) as cfg:
        return cfg.get_all(args.release, revision=args.revision)


def cmd_get_metadata(args: argparse.Namespace) -> Any:
    with _config(args) as cfg:
        return cfg.get_metadata(args.release, revision=args.revision)


def cmd_test(args: argparse.Namespace) -> Any:
    with _config(args) as cfg:
        return cfg.test(args.release, timeout=args.timeout)


def cmd_list(args: argparse.Namespace) -> Any:
    with _config(args) as cfg:
        return {"releases": cfg.list(all_states=args.all, all_namespaces=args.all_namespaces,
                                     name_filter=args.filter)}


def cmd_push(args: argparse.Namespace) -> Any:
    _setup_registry_defaults(args, args.remote)
    with _registry_client(args, _oci_host(args.remote)) as client:
        return client.push(args.archive, args.remote, plain_http=args.plain_http,
                           insecure_skip_tls_verify=args.insecure_skip_tls_verify)


def cmd_pull(args: argparse.Namespace) -> Any:
    _setup_registry_defaults(args, args.ref)
    with _registry_client(args, _oci_host(args.ref)) as client:
        return client.pull(args.ref, destination=args.destination, version=args.version,
                           untar=args.untar, untar_dir=args.untar_dir,
                           plain_http=args.plain_http,
                           insecure_skip_tls_verify=args.insecure_skip_tls_verify)


def cmd_show(args: argparse.Namespace) -> Any:
    import helm_python as helm

    if not str(args.chart).startswith("oci://"):
        return {"output": helm.show(args.chart, output_format=args.format, version=args.version)}
    _setup_registry_defaults(args, args.chart)
    with _registry_client(args, _oci_host(args.chart)) as client:
        return {"output": client.show(args.chart, output_format=args.format,
                                      version=args.version, plain_http=args.plain_http)}


def cmd_tags(args: argparse.Namespace) -> Any:
    _setup_registry_defaults(args, args.ref)
    with _registry_client(args, _oci_host(args.ref)) as client:
        return {"tags": client.tags(args.ref)}


# --- argument parsing ---------------------------------------------------------------------


def _values_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-f", "--values", action="append", help="values file (repeatable, in order)")
    p.add_argument("--set", action="append", help="--set expression (repeatable)")
    p.add_argument("--set-string", action="append", dest="set_string")
    p.add_argument("--set-json", action="append", dest="set_json")


def _cluster_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-n", "--namespace", default="default")
    p.add_argument("--kubeconfig", help="default: $ORIGANCTL_TEST_KUBECONFIG, then .local/cluster/kubeconfig")
    p.add_argument("--storage-driver", dest="storage_driver")


def _registry_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--username")
    p.add_argument("--password")
    p.add_argument("--plain-http", action="store_true", dest="plain_http")
    p.add_argument("--no-auto-plain-http", action="store_true", dest="no_auto_plain_http",
                   help="do not switch to plain HTTP for REGISTRY from .local/registry/env")
    p.add_argument("--insecure-skip-tls-verify", action="store_true",
                   dest="insecure_skip_tls_verify")
    p.add_argument("--ca-file", dest="ca_file", help="CA bundle for TLS registries")


def _wait_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--wait", choices=["watcher", "legacy", "hookOnly"])
    p.add_argument("--timeout", type=int, help="seconds")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    for name, fn in (("render", cmd_render), ("template", cmd_template)):
        p = sub.add_parser(name)
        p.add_argument("chart")
        _values_args(p)
        p.add_argument("--release", default="release-name")
        p.add_argument("-n", "--namespace", default="default")
        p.add_argument("--kubeconfig", help="render: cluster-aware lookup against this cluster")
        p.add_argument("--storage-driver", dest="storage_driver")
        if name == "render":
            p.add_argument("--is-upgrade", action="store_true", dest="is_upgrade")
            p.add_argument("--revision", type=int, default=1)
        else:
            p.add_argument("--version")
        p.set_defaults(fn=fn)

    p = sub.add_parser("lint")
    p.add_argument("chart")
    _values_args(p)
    p.add_argument("--strict", action="store_true")
    p.add_argument("-n", "--namespace")
    p.add_argument("--kube-version", dest="kube_version")
    p.add_argument("--with-subcharts", action="store_true", dest="with_subcharts")
    p.set_defaults(fn=cmd_lint)

    p = sub.add_parser("package")
    p.add_argument("chart")
    p.add_argument("-d", "--destination", default=".")
    p.add_argument("--version")
    p.add_argument("--app-version", dest="app_version")
    p.set_defaults(fn=cmd_package)

    for name, fn in (("install", cmd_install), ("upgrade", cmd_upgrade)):
        p = sub.add_parser(name)
        p.add_argument("release")
        p.add_argument("chart", help="path, .tgz or oci:// reference")
        _values_args(p)
        _cluster_args(p)
        _wait_args(p)
        _registry_args(p)
        p.add_argument("--version", help="chart version (oci:// / repo references)")
        p.add_argument("--dry-run", dest="dry_run", choices=["client", "server", "none"])
        p.add_argument("--atomic", "--rollback-on-failure", action="store_true", dest="atomic")
        p.add_argument("--description")
        if name == "install":
            p.add_argument("--create-namespace", action="store_true", dest="create_namespace")
        else:
            p.add_argument("--history-max", type=int, dest="history_max")
            p.add_argument("--reset-values", action="store_true", dest="reset_values")
            p.add_argument("--reuse-values", action="store_true", dest="reuse_values")
            p.add_argument("--cleanup-on-fail", action="store_true", dest="cleanup_on_fail")
        p.set_defaults(fn=fn)

    p = sub.add_parser("rollback")
    p.add_argument("release")
    p.add_argument("revision", nargs="?", type=int)
    _cluster_args(p)
    _wait_args(p)
    p.set_defaults(fn=cmd_rollback)

    p = sub.add_parser("uninstall")
    p.add_argument("release")
    _cluster_args(p)
    _wait_args(p)
    p.add_argument("--keep-history", action="store_true", dest="keep_history")
    p.add_argument("--ignore-not-found", action="store_true", dest="ignore_not_found")
    p.set_defaults(fn=cmd_uninstall)

    p = sub.add_parser("history")
    p.add_argument("release")
    _cluster_args(p)
    p.add_argument("--max", type=int)
    p.set_defaults(fn=cmd_history)

    for name, fn in (("status", cmd_status), ("get-values", cmd_get_values),
                     ("get-all", cmd_get_all), ("get-metadata", cmd_get_metadata)):
        p = sub.add_parser(name)
        p.add_argument("release")
        _cluster_args(p)
        p.add_argument("--revision", type=int)
        if name == "get-values":
            p.add_argument("-a", "--all", action="store_true")
        p.set_defaults(fn=fn)

    p = sub.add_parser("test")
    p.add_argument("release")
    _cluster_args(p)
    p.add_argument("--timeout", type=int, help="seconds")
    p.set_defaults(fn=cmd_test)

    p = sub.add_parser("list")
    _cluster_args(p)
    p.add_argument("-a", "--all", action="store_true")
    p.add_argument("-A", "--all-namespaces", action="store_true", dest="all_namespaces")
    p.add_argument("--filter")
    p.set_defaults(fn=cmd_list)

    p = sub.add_parser("push")
    p.add_argument("archive")
    p.add_argument("remote", help="oci://HOST/PATH")
    _registry_args(p)
    p.set_defaults(fn=cmd_push)

    p = sub.add_parser("pull")
    p.add_argument("ref", help="oci://HOST/PATH/NAME")
    p.add_argument("--version")
    p.add_argument("-d", "--destination", default=".")
    p.add_argument("--untar", action="store_true")
    p.add_argument("--untardir", dest="untar_dir")
    _registry_args(p)
    p.set_defaults(fn=cmd_pull)

    p = sub.add_parser("show")
    p.add_argument("format", choices=["all", "chart", "values", "readme", "crds"])
    p.add_argument("chart", help="path, .tgz or oci:// reference")
    p.add_argument("--version")
    _registry_args(p)
    p.set_defaults(fn=cmd_show)

    p = sub.add_parser("tags")
    p.add_argument("ref", help="oci://HOST/PATH/NAME")
    _registry_args(p)
    p.set_defaults(fn=cmd_tags)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Registry defaults set SSL_CERT_FILE, which Go snapshots when libhelm_c is loaded: do it
    # before the first helm_python import.
    oci_ref = getattr(args, "remote", None) or getattr(args, "ref", None) or getattr(args, "chart", "")
    if hasattr(args, "ca_file") and str(oci_ref).startswith("oci://"):
        _setup_registry_defaults(args, str(oci_ref))
    _reexec_in_venv()
    import helm_python as helm

    helm.disable_logging()
    try:
        result = args.fn(args)
    except helm.HelmError as err:
        _fail(str(err), type(err).__name__, getattr(err, "code", None))
    except OSError as err:
        _fail(str(err), type(err).__name__)
    print(json.dumps(result if result is not None else {}, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

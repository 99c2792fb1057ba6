// @ts-check
// The part of kustomize that k8s/ uses, so CI can render the overlays without kubectl (no registry it reaches serves
// kustomize). A kustomization field, patch directive or list merge it does not implement is refused, never ignored:
// a rendering that silently differs from `kubectl kustomize` would validate the wrong objects.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { strategicMerge } from "./strategic-merge.mjs";

/** @typedef {Record<string, any>} K8sObject */
/** @typedef {{ envFile?: (path: string) => string }} RenderOptions */

const FIELDS = new Set(["apiVersion", "kind", "namespace", "labels", "resources", "images", "replicas", "patches", "secretGenerator"]);
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "IngressClass", "PersistentVolume", "StorageClass", "PriorityClass"]);
const POD_TEMPLATES = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);
const SCALABLE = new Set(["Deployment", "StatefulSet", "ReplicaSet"]);

/** Every object the kustomization in `dir` renders to. */
export function render(/** @type {string} */ dir, /** @type {RenderOptions} */ options = {}) {
  const kustomization = readKustomization(dir);
  refuseUnknown(kustomization, FIELDS, `${dir}/kustomization.yaml`);
  if (kustomization.apiVersion !== "kustomize.config.k8s.io/v1beta1" || kustomization.kind !== "Kustomization") {
    throw new Error(`${dir}/kustomization.yaml: apiVersion/kind must be kustomize.config.k8s.io/v1beta1 Kustomization`);
  }
  const objects = (kustomization.resources ?? []).flatMap((/** @type {string} */ r) => {
    const path = resolve(dir, r);
    return statSync(path).isDirectory() ? render(path, options) : readObjects(path);
  });
  const secrets = (kustomization.secretGenerator ?? []).map((/** @type {any} */ g) => generateSecret(dir, g, options));
  objects.push(...secrets);
  for (const patch of kustomization.patches ?? []) applyPatch(dir, objects, patch);
  if (kustomization.namespace) setNamespace(objects, kustomization.namespace);
  for (const label of kustomization.labels ?? []) addLabels(objects, label);
  for (const image of kustomization.images ?? []) setImage(objects, image);
  for (const replica of kustomization.replicas ?? []) setReplicas(objects, replica);
  for (const secret of secrets) renameReferences(objects, secret);
  return objects;
}

function readKustomization(/** @type {string} */ dir) {
  const path = join(dir, "kustomization.yaml");
  if (!existsSync(path)) throw new Error(`${dir}: no kustomization.yaml (other spellings are not implemented)`);
  return readObjects(path)[0];
}

/** @returns {K8sObject[]} */
export function readObjects(/** @type {string} */ path) {
  return parseAllDocuments(readFileSync(path, "utf8")).map((d) => {
    if (d.errors.length > 0) throw new Error(`${path}: ${d.errors[0].message}`);
    return d.toJS();
  }).filter((o) => o != null);
}

/** Throws when `entry` has a key outside `known`. */
export function refuseUnknown(/** @type {K8sObject} */ entry, /** @type {Set<string>} */ known, /** @type {string} */ where) {
  const unknown = Object.keys(entry).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`${where}: ${unknown.join(", ")} not implemented by k8s/check's renderer`);
}

const id = (/** @type {K8sObject} */ o) => `${o.kind}/${o.metadata?.name}`;

function applyPatch(/** @type {string} */ dir, /** @type {K8sObject[]} */ objects, /** @type {any} */ entry) {
  refuseUnknown(entry, new Set(["path", "patch"]), `${dir}/kustomization.yaml patches`);
  const patches = entry.path ? readObjects(resolve(dir, entry.path))
    : parseAllDocuments(entry.patch).map((d) => d.toJS());
  for (const patch of patches) {
    if (Array.isArray(patch) || !patch?.kind || !patch?.metadata?.name) {
      throw new Error(`${dir}: only strategic merge patches naming kind and metadata.name are implemented`);
    }
    const targets = objects.filter((o) => o.kind === patch.kind && o.metadata?.name === patch.metadata.name
      && (!patch.metadata.namespace || o.metadata?.namespace === patch.metadata.namespace));
    if (targets.length !== 1) throw new Error(`${dir}: patch ${id(patch)} matches ${targets.length} objects, not one`);
    const merged = strategicMerge(targets[0], patch);
    for (const key of Object.keys(targets[0])) delete targets[0][key];
    Object.assign(targets[0], merged);
  }
}

function setNamespace(/** @type {K8sObject[]} */ objects, /** @type {string} */ namespace) {
  for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata = { ...o.metadata, namespace };
}

function addLabels(/** @type {K8sObject[]} */ objects, /** @type {any} */ label) {
  refuseUnknown(label, new Set(["pairs", "includeTemplates"]), "labels");
  for (const o of objects) {
    o.metadata = { ...o.metadata, labels: { ...o.metadata?.labels, ...label.pairs } };
    if (label.includeTemplates && POD_TEMPLATES.has(o.kind) && o.spec?.template) {
      const t = o.spec.template;
      t.metadata = { ...t.metadata, labels: { ...t.metadata?.labels, ...label.pairs } };
    }
  }
}

/** Every container and init container of the objects' pod templates. */
export function containers(/** @type {K8sObject[]} */ objects) {
  return objects.filter((o) => POD_TEMPLATES.has(o.kind))
    .flatMap((o) => [...(o.spec?.template?.spec?.containers ?? []), ...(o.spec?.template?.spec?.initContainers ?? [])]);
}

function setImage(/** @type {K8sObject[]} */ objects, /** @type {any} */ image) {
  refuseUnknown(image, new Set(["name", "newName", "newTag", "digest"]), "images");
  for (const c of containers(objects)) {
    const match = /^(?<name>[^:@]+(?::\d+\/[^:@]+)?)(?<rest>[:@].*)?$/.exec(c.image);
    if (!match?.groups || match.groups.name !== image.name) continue;
    const suffix = image.digest ? `@${image.digest}` : image.newTag != null ? `:${String(image.newTag)}` : (match.groups.rest ?? "");
    c.image = `${image.newName ?? image.name}${suffix}`;
  }
}

function setReplicas(/** @type {K8sObject[]} */ objects, /** @type {any} */ replica) {
  refuseUnknown(replica, new Set(["name", "count"]), "replicas");
  const targets = objects.filter((o) => SCALABLE.has(o.kind) && o.metadata?.name === replica.name);
  if (targets.length === 0) throw new Error(`replicas: no workload named ${replica.name}`);
  for (const o of targets) o.spec.replicas = replica.count;
}

/** A Secret from env files and literals, its name suffixed with a content hash (so a changed value rolls the pods). */
function generateSecret(/** @type {string} */ dir, /** @type {any} */ generator, /** @type {RenderOptions} */ options) {
  refuseUnknown(generator, new Set(["name", "envs", "literals"]), `${dir}/kustomization.yaml secretGenerator`);
  const read = options.envFile ?? ((/** @type {string} */ path) => readFileSync(path, "utf8"));
  const lines = [
    ...(generator.envs ?? []).flatMap((/** @type {string} */ f) => read(resolve(dir, f)).split("\n")),
    ...(generator.literals ?? []),
  ];
  /** @type {Record<string, string>} */
  const data = {};
  for (const line of lines.map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"))) {
    const at = line.indexOf("=");
    if (at < 1) throw new Error(`${dir}: secret ${generator.name}: "${line}" is not KEY=VALUE`);
    data[line.slice(0, at)] = Buffer.from(line.slice(at + 1)).toString("base64");
  }
  const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: generator.name }, type: "Opaque", data };
  return { ...secret, metadata: { name: `${generator.name}-${hash(secret)}` }, [ORIGINAL]: generator.name };
}

const ORIGINAL = Symbol("generated from");

/** A content hash in kustomize's shape (ten characters of sha256); not kustomize's own digits, which no check relies on. */
function hash(/** @type {K8sObject} */ secret) {
  const json = JSON.stringify({ data: sortKeys(secret.data), kind: "Secret", name: secret.metadata.name, type: secret.type });
  const hex = createHash("sha256").update(json).digest("hex").slice(0, 10);
  return hex.replace(/[013ae]/g, (c) => ({ 0: "g", 1: "h", 3: "k", a: "m", e: "t" })[c] ?? c);
}

const sortKeys = (/** @type {Record<string, string>} */ o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Points secretKeyRef, secretRef and secret volumes of the same namespace at the generated name. */
function renameReferences(/** @type {K8sObject[]} */ objects, /** @type {any} */ secret) {
  const from = secret[ORIGINAL], to = secret.metadata.name, namespace = secret.metadata.namespace;
  delete secret[ORIGINAL];
  for (const o of objects.filter((x) => POD_TEMPLATES.has(x.kind) && x.metadata?.namespace === namespace)) {
    const spec = o.spec.template.spec;
    for (const c of containers([o])) {
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef?.name === from) e.valueFrom.secretKeyRef.name = to;
      for (const e of c.envFrom ?? []) if (e.secretRef?.name === from) e.secretRef.name = to;
    }
    for (const v of spec.volumes ?? []) if (v.secret?.secretName === from) v.secret.secretName = to;
  }
}

export const overlaysDir = resolve(dirname(new URL(import.meta.url).pathname), "../../overlays");

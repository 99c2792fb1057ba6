// @ts-check
// Strategic merge as kubectl applies it, for the lists k8s/ patches: maps merge, `null` deletes a key, the lists below
// merge item by item on their key, every other list is replaced. A `$patch`-style directive, or a list that
// Kubernetes merges by a key not listed here, is refused.

/** @type {Record<string, string>} */
const MERGE_KEYS = {
  containers: "name",
  initContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
};
const CONTAINER_LISTS = new Set(["containers", "initContainers"]);
const REFUSED_LISTS = new Set(["imagePullSecrets", "hostAliases", "topologySpreadConstraints", "ephemeralContainers",
  "tolerations", "finalizers", "ownerReferences", "volumeDevices", "resourceClaims", "schedulingGates"]);

const isMap = (/** @type {unknown} */ v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** `patch` merged into a copy of `base`; `key` and `parent` name the field being merged (its merge rules follow them). */
export function strategicMerge(/** @type {any} */ base, /** @type {any} */ patch, key = "", parent = "") {
  if (isMap(patch)) {
    const merged = isMap(base) ? { ...base } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (k.startsWith("$")) throw new Error(`strategic merge directive ${k} is not implemented`);
      if (v === null) delete merged[k];
      else merged[k] = strategicMerge(merged[k], v, k, key);
    }
    return merged;
  }
  if (Array.isArray(patch)) return mergeList(base, patch, key, parent);
  return patch;
}

function mergeList(/** @type {any} */ base, /** @type {any[]} */ patch, /** @type {string} */ key, /** @type {string} */ parent) {
  if (REFUSED_LISTS.has(key) || (key === "ports" && !CONTAINER_LISTS.has(parent))) {
    throw new Error(`strategic merge of the list ${parent ? `${parent}.` : ""}${key} is not implemented`);
  }
  const mergeKey = key === "ports" ? "containerPort" : MERGE_KEYS[key];
  if (!mergeKey || !Array.isArray(base)) return structuredClone(patch);
  const merged = [...base];
  for (const item of patch) {
    const at = merged.findIndex((b) => b[mergeKey] === item[mergeKey]);
    if (at < 0) merged.push(structuredClone(item));
    else merged[at] = strategicMerge(merged[at], item, key, parent);
  }
  return merged;
}

// @ts-check
// The operator writes secrets/*.env (git ignores them), so CI has only the .example files beside them: their keys,
// each with a placeholder value, stand in for the real file.
import { readFileSync } from "node:fs";

export function exampleSecrets(/** @type {string} */ path) {
  return readFileSync(`${path}.example`, "utf8").split("\n")
    .map((l) => (l.startsWith("#") || !l.includes("=") ? l : `${l.slice(0, l.indexOf("=") + 1)}placeholder`))
    .join("\n");
}

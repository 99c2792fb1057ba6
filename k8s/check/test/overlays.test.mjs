import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { exampleSecrets } from "../src/example-secrets.mjs";
import { overlaysDir, render } from "../src/kustomize.mjs";
import { validate } from "../src/validate.mjs";

const overlays = readdirSync(overlaysDir);
const kubectl = (() => { try { execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" }); return true; } catch { return false; } })();

describe.each(overlays)("the %s overlay", (overlay) => {
  it("renders to objects that all match the Kubernetes schema of their apiVersion and kind", async () => {
    const objects = render(join(overlaysDir, overlay), { envFile: exampleSecrets });

    const errors = await validate(objects);

    expect(objects.length).toBeGreaterThan(25);
    expect(errors).toEqual([]);
  }, 60_000);

  it.skipIf(!kubectl)("renders what kubectl kustomize renders (run where kubectl is installed)", () => {
    const copy = mkdtempSync(join(tmpdir(), "k8s-"));
    cpSync(join(overlaysDir, ".."), copy, { recursive: true, filter: (f) => !f.includes("node_modules") && !f.endsWith(".env") });
    const dir = join(copy, "overlays", overlay);
    for (const f of readdirSync(join(dir, "secrets")).filter((f) => f.endsWith(".env.example"))) {
      writeFileSync(join(dir, "secrets", f.replace(/\.example$/, "")), exampleSecrets(join(dir, "secrets", f.replace(/\.example$/, ""))));
    }

    const ours = byName(render(dir));
    const theirs = byName(parseAllDocuments(execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8" })).map((d) => d.toJS()));

    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [key, object] of ours) expect(isDeepStrictEqual(object, theirs.get(key)) ? key : object).toBe(key);
  }, 60_000);
});

/** Objects by kind, namespace and name, with the generated Secrets' hash suffixes left out (kustomize's differ). */
function byName(/** @type {Record<string, any>[]} */ objects) {
  const unhashed = JSON.parse(JSON.stringify(objects).replace(/"(shop-(?:auth|db))-[a-z0-9]{10}"/g, '"$1"'));
  return new Map(unhashed.map((/** @type {any} */ o) => [`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o]));
}

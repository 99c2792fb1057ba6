import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { render } from "../src/kustomize.mjs";
import { strategicMerge } from "../src/strategic-merge.mjs";
import { validate } from "../src/validate.mjs";

/** @returns {Record<string, any>} */
const deployment = (/** @type {Record<string, any>} */ container) => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "orders" },
  spec: { selector: { matchLabels: { app: "orders" } }, template: { metadata: { labels: { app: "orders" } }, spec: { containers: [container] } } },
});

/** A kustomization folder holding `files`. */
function folder(/** @type {Record<string, string>} */ files) {
  const dir = mkdtempSync(join(tmpdir(), "kustomization-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const header = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\n";
const app = JSON.stringify(deployment({ name: "host", image: "shop-host", env: [{ name: "A", value: "1" }] }));

describe("the renderer", () => {
  it("refuses a kustomization field it does not implement", () => {
    const dir = folder({ "kustomization.yaml": `${header}commonLabels: { a: b }\n`, "app.yaml": app });

    expect(() => render(dir)).toThrow(/commonLabels not implemented/);
  });

  it("refuses a patch directive and a list merge it does not implement", () => {
    expect(() => strategicMerge({ spec: {} }, { spec: { $patch: "replace" } })).toThrow(/\$patch is not implemented/);
    expect(() => strategicMerge({ tolerations: [] }, { tolerations: [{ key: "a" }] })).toThrow(/tolerations is not implemented/);
  });

  it("deletes a key the patch sets to null and replaces a list Kubernetes does not merge", () => {
    const base = deployment({ name: "host", image: "i", args: ["a", "b"] });
    base.spec.strategy = { type: "Recreate" };

    const merged = strategicMerge(base, { spec: { strategy: null, template: { spec: { containers: [{ name: "host", args: ["c"] }] } } } });

    expect(merged.spec.strategy).toBeUndefined();
    expect(merged.spec.template.spec.containers).toEqual([{ name: "host", image: "i", args: ["c"] }]);
  });

  it("merges containers and their env by name, sets the image, the namespace and the replicas", () => {
    const dir = folder({
      "kustomization.yaml": `${header}namespace: shop\nimages: [{ name: shop-host, newName: r.example.com/shop-host, newTag: "1.2" }]\n`
        + "replicas: [{ name: orders, count: 5 }]\npatches: [{ path: patch.yaml }]\n",
      "app.yaml": app,
      "patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: orders }\nspec:\n  template:\n    spec:\n"
        + "      containers: [{ name: host, env: [{ name: B, value: '2' }] }]\n",
    });

    const [rendered] = render(dir);

    expect(rendered.metadata.namespace).toBe("shop");
    expect(rendered.spec.replicas).toBe(5);
    expect(rendered.spec.template.spec.containers).toEqual([
      { name: "host", image: "r.example.com/shop-host:1.2", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] },
    ]);
  });

  it("points references to a generated Secret at its hashed name", () => {
    const withRef = deployment({ name: "host", image: "i", envFrom: [{ secretRef: { name: "keys" } }] });
    const dir = folder({
      "kustomization.yaml": `${header}secretGenerator: [{ name: keys, envs: [keys.env] }]\n`,
      "app.yaml": JSON.stringify(withRef), "keys.env": "# a comment\nKEY=value\n",
    });

    const [rendered, secret] = render(dir);

    expect(secret.metadata.name).toMatch(/^keys-[a-z0-9]{10}$/);
    expect(secret.data).toEqual({ KEY: Buffer.from("value").toString("base64") });
    expect(rendered.spec.template.spec.containers[0].envFrom[0].secretRef.name).toBe(secret.metadata.name);
  });
});

describe("the validation", () => {
  it("names a misspelt field, a value of the wrong type and an unknown kind", async () => {
    const misspelt = deployment({ name: "host", image: "i", resourcess: {} });
    const wrongType = deployment({ name: "host", image: "i" });
    wrongType.metadata.name = "payments";
    wrongType.spec.replicas = "3";

    const errors = await validate([misspelt, wrongType, { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }]);

    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Deployment\/orders .*'"resourcess"' does not exist in type 'IContainer'/),
      expect.stringMatching(/^Deployment\/payments .*spec\/replicas must be integer/),
      expect.stringMatching(/^Widget\/w .*no schema for this apiVersion and kind/),
    ]));
  }, 60_000);

  it("finds nothing wrong with a valid object", async () => {
    expect(await validate([deployment({ name: "host", image: "i" })])).toEqual([]);
  }, 60_000);
});

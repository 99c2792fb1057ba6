// @ts-check
// `node src/cli.mjs render OVERLAY [--example-secrets]`: the overlay's objects as one YAML stream, what the C#
// deployment tests read (`npm test` renders and validates every overlay).
import { resolve } from "node:path";
import { stringify } from "yaml";
import { exampleSecrets } from "./example-secrets.mjs";
import { render } from "./kustomize.mjs";

const [command, overlay] = process.argv.slice(2);
const options = process.argv.includes("--example-secrets") ? { envFile: exampleSecrets } : {};
if (command === "render" && overlay) {
  process.stdout.write(render(resolve(overlay), options).map((/** @type {unknown} */ o) => stringify(o)).join("---\n"));
} else {
  console.error("usage: cli.mjs render OVERLAY [--example-secrets]");
  process.exit(2);
}

// @ts-check
// Every object against the Kubernetes schemas of kubernetes-models, by apiVersion and kind (an unknown kind is an
// error). The schemas check types, required fields and formats but, like the API server without strict field
// validation, let an unknown field through; so each object is also type-checked by TypeScript against the model's
// interface, whose excess-property check names a misspelt field at any depth.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

const root = join(dirname(new URL(import.meta.url).pathname), "..");
const models = join(root, "node_modules", "kubernetes-models");

/** @param {Record<string, any>} o @returns {string} the module of the object's model, e.g. kubernetes-models/apps/v1/Deployment */
function modelOf(o) {
  const [group, version] = String(o.apiVersion ?? "").includes("/") ? o.apiVersion.split("/") : [null, o.apiVersion];
  return `kubernetes-models/${group ? `${group}/` : ""}${version}/${o.kind}`;
}

const name = (/** @type {Record<string, any>} */ o) => `${o.kind}/${o.metadata?.name} (${o.apiVersion})`;

/** The errors of every object, one line each; empty when all are valid. */
export async function validate(/** @type {Record<string, any>[]} */ objects) {
  const errors = [];
  const known = [];
  for (const o of objects) {
    const module = modelOf(o);
    if (!/^[A-Za-z0-9.\-/]+$/.test(module) || !existsSync(join(models, `${module.slice("kubernetes-models/".length)}.js`))) {
      errors.push(`${name(o)}: no schema for this apiVersion and kind`);
      continue;
    }
    const Model = (await import(module))[o.kind];
    try {
      new Model(o).validate();
    } catch (e) {
      errors.push(`${name(o)}: ${/** @type {Error} */ (e).message}`);
    }
    known.push(o);
  }
  return [...errors, ...unknownFields(known)];
}

/** TypeScript's diagnostics for `const oN: IKind = <the object>;`, one per line, named by object. */
function unknownFields(/** @type {Record<string, any>[]} */ objects) {
  const file = join(root, "rendered.generated.ts");
  const lines = objects.map((o, i) =>
    `import type { I${o.kind} as T${i} } from "${modelOf(o)}"; const o${i}: T${i} = ${JSON.stringify(o)}; void o${i};`);
  const source = `export {};\n${lines.join("\n")}\n`;
  const options = { strict: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (f, language, ...rest) =>
    f === file ? ts.createSourceFile(f, source, language) : getSourceFile.call(host, f, language, ...rest);
  host.fileExists = ((exists) => (f) => f === file || exists(f))(host.fileExists);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start != null ? d.file.getLineAndCharacterOfPosition(d.start).line - 1 : -1;
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    return `${objects[line] ? name(objects[line]) : "?"}: ${message}`;
  });
}


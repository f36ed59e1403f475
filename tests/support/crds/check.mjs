// Checks CloudNativePG objects against the operator's API, as the npm package
// @kubernetes-models/cloudnative-pg states it (generated from CloudNativePG's API types):
//   - its JSON Schema validation: types, enums, required fields;
//   - its TypeScript types, strictly: each object is an object literal typed as its kind,
//     so the compiler refuses any field the API does not have ("may only specify known
//     properties"), at any depth. The JSON Schema alone lets unknown fields through.
// Reads a JSON array of objects on stdin; prints a JSON array of each object's problems.
import path from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { Cluster } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster";
import { Database } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Database";

const MODELS = { "postgresql.cnpg.io/v1/Cluster": Cluster, "postgresql.cnpg.io/v1/Database": Database };
const HERE = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = path.join(HERE, "objects.ts");

function modelOf(object) {
  return MODELS[`${object.apiVersion}/${object.kind}`];
}

function schemaProblems(object) {
  const Model = modelOf(object);
  if (!Model) return [`no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [error.message];
  }
}

// One line per object: `export const o<n>: I<Kind> = <the object as JSON>;`
function typed(objects) {
  const kinds = [...new Set(objects.map((o) => o.kind))];
  const imports = kinds.map(
    (kind) => `import type { I${kind} } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/${kind}";`,
  );
  const lines = objects.map((o, n) => `export const o${n}: I${o.kind} = ${JSON.stringify(o)};`);
  return { text: [...imports, ...lines].join("\n"), first: imports.length };
}

function typeProblems(objects) {
  const { text, first } = typed(objects);
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, ...rest) =>
    name === SOURCE ? ts.createSourceFile(name, text, ts.ScriptTarget.ES2022) : getSourceFile(name, ...rest);
  host.fileExists = (name) => name === SOURCE || fileExists(name);
  host.readFile = (name) => (name === SOURCE ? text : readFile(name));
  const program = ts.createProgram([SOURCE], options, host);
  const problems = objects.map(() => []);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (diagnostic.file?.fileName !== SOURCE) throw new Error(`the check itself failed: ${message}`);
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    problems[line - first].push(message);
  }
  return problems;
}

const objects = JSON.parse(readFileSync(0, "utf8"));
const known = objects.filter(modelOf);
const typeErrors = typeProblems(known);
console.log(JSON.stringify(objects.map((o) => [...schemaProblems(o), ...(typeErrors[known.indexOf(o)] ?? [])])));

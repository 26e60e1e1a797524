// Upload API v2 with JWTs made exactly as ImageKit's docs sample backend makes them (npm "jsonwebtoken"):
//
//   jwt.sign(uploadPayload, privateKey, { expiresIn, header: { alg: "HS256", typ: "JWT", kid: publicKey } })
//
// then POSTed as a browser would (fetch + FormData: file as a Blob, the same fields, token) to
// UPFRONT_URL/api/v2/files/upload; plus ImageKit's Stainless-generated SDK (npm "@imagekit/nodejs" 7.x):
// client.files.upload (server-side, Basic auth) and client.beta.v2.files.upload (client-side, token).
// Run by dev.upfront.sdk.JsonWebTokenSeedTest; can also be run by hand:
//
//   UPFRONT_URL=http://127.0.0.1:8080 UPFRONT_PUBLIC_KEY=public_... UPFRONT_PRIVATE_KEY=private_... \
//   UPFRONT_SAMPLE_FILE=/path/to/small.png node jwt-seed.mjs
//
// The script only reports; the Java test decides. It prints one JSON line per case on stdout:
//   {"case": name, "status": HTTP status or null, "body": parsed JSON body, "jwt": {header, payload}, ...}
// The first line is {"case": "environment", ...} with the Node.js and package versions. Uploads that succeed
// write files under /seed/ (and the Stainless ones under / and /seed/sdk/). Exits 1 only when the script itself
// breaks (no server, bad environment), with "FAIL: ..." on stderr.

import { createReadStream, readFileSync } from "node:fs";
import { basename } from "node:path";
import { File as NodeFile } from "node:buffer";
import jwt from "jsonwebtoken";
import ImageKit, { toFile } from "@imagekit/nodejs";

// Node 18 has File only in node:buffer; @imagekit/nodejs needs the global (Node 20+ has it).
if (typeof globalThis.File === "undefined") globalThis.File = NodeFile;

function env(name) {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`environment variable ${name} is not set`);
  return value;
}

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
  } catch {
    return null;
  }
}

const base = env("UPFRONT_URL").replace(/\/+$/, "");
const publicKey = env("UPFRONT_PUBLIC_KEY");
const privateKey = env("UPFRONT_PRIVATE_KEY");
const samplePath = env("UPFRONT_SAMPLE_FILE");
const sample = readFileSync(samplePath);
const endpoint = `${base}/api/v2/files/upload`;

function report(name, fields) {
  process.stdout.write(JSON.stringify({ case: name, ...fields }) + "\n");
}

/** The docs sample's upload payload: every upload field, as a string. */
function docsPayload(overrides = {}) {
  return { fileName: "dress.jpg", useUniqueFileName: "false", folder: "/seed/", tags: "summer,dress", ...overrides };
}

/** The docs sample backend, verbatim apart from the options a case varies. */
function sign(uploadPayload, { key = privateKey, kid = publicKey, expiresIn = 3600, alg = "HS256", ...more } = {}) {
  const options = { header: { alg, typ: "JWT", kid }, ...more };
  if (expiresIn !== null) options.expiresIn = expiresIn; // null: the payload brings its own exp
  if (alg !== "HS256") options.algorithm = alg;
  return jwt.sign(uploadPayload, key, options);
}

function decoded(token) {
  const d = jwt.decode(token, { complete: true });
  return { header: d.header, payload: d.payload };
}

async function parse(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A browser-style client-side v2 upload: file first (a Blob), then the fields in order, then the token. */
async function post(formFields, token, fileName = "sample.png") {
  const form = new FormData();
  form.append("file", new Blob([sample], { type: "image/png" }), fileName);
  for (const [k, v] of Object.entries(formFields)) form.append(k, v);
  form.append("token", token);
  const response = await fetch(endpoint, { method: "POST", body: form });
  return { status: response.status, body: await parse(response) };
}

/** Signs {@code payload}, posts {@code formFields} (default: the payload itself) and reports. */
async function jwtCase(name, payload, signOptions, formFields = payload) {
  const token = sign(payload, signOptions);
  const r = await post(formFields, token);
  report(name, { ...r, jwt: decoded(token), form: Object.keys(formFields) });
}

/** A fetch that records what the SDK puts on the wire before passing the request on. */
function recordingFetch(log) {
  return async (url, init = {}) => {
    // The SDK first fetches "data:," once to see whether this fetch can send the global FormData.
    if (String(url).startsWith("data:")) return fetch(url, init);
    const headers = new Headers(init.headers);
    const entry = {
      url: String(url),
      method: init.method,
      authorization: headers.get("authorization"),
      headers: [...headers.keys()].sort(),
    };
    if (init.body instanceof FormData) {
      entry.fields = {};
      for (const [k, v] of init.body.entries()) {
        entry.fields[k] = typeof v === "string" ? v : { blob: true, name: v.name, type: v.type, size: v.size };
      }
    }
    log.push(entry);
    return fetch(url, init);
  };
}

/** Runs one Stainless SDK call and reports its HTTP outcome (or the SDK's own error) and what it sent. */
async function sdkCase(name, call, extra = {}) {
  const sent = [];
  let result;
  try {
    const { data, response } = await call(recordingFetch(sent)).withResponse();
    result = { status: response.status, body: data };
  } catch (e) {
    if (e instanceof ImageKit.APIError && e.status !== undefined) {
      result = { status: e.status, body: e.error ?? null, sdkError: e.constructor.name };
    } else {
      result = { status: null, body: null, sdkError: `${e?.constructor?.name}: ${e?.message}` };
    }
  }
  report(name, { ...result, sent, ...extra });
}

async function main() {
  report("environment", {
    node: process.version,
    versions: {
      jsonwebtoken: installedVersion("jsonwebtoken"),
      "@imagekit/nodejs": installedVersion("@imagekit/nodejs"),
    },
  });

  // --- jsonwebtoken, the docs sample backend ---------------------------------------------------------------
  await jwtCase("docs3600", docsPayload(), { expiresIn: 3600 });
  await jwtCase("docs600", docsPayload({ fileName: "shirt.jpg" }), { expiresIn: 600 });

  // The binding: form and payload must hold the same fields with the same string values.
  await jwtCase("valueMismatch", docsPayload({ fileName: "mismatch.jpg" }), {},
    docsPayload({ fileName: "mismatch.jpg", folder: "/seed/other/" }));
  await jwtCase("extraFormField", docsPayload({ fileName: "extra.jpg" }), {},
    { ...docsPayload({ fileName: "extra.jpg" }), isPrivateFile: "false" });
  const { tags: _dropped, ...withoutTags } = docsPayload({ fileName: "missing.jpg" });
  await jwtCase("missingFormField", docsPayload({ fileName: "missing.jpg" }), {}, withoutTags);
  // jsonwebtoken keeps JSON types: a boolean claim is not the string the form sends.
  await jwtCase("nonStringClaim", { ...docsPayload({ fileName: "boolean.jpg" }), useUniqueFileName: false }, {},
    docsPayload({ fileName: "boolean.jpg" }));

  // Lifetime and times.
  await jwtCase("expiresIn3601", docsPayload({ fileName: "long.jpg" }), { expiresIn: 3601 });
  const now = Math.floor(Date.now() / 1000);
  await jwtCase("expiredInThePast", { ...docsPayload({ fileName: "old.jpg" }), iat: now - 7200, exp: now - 3600 },
    { expiresIn: null }, docsPayload({ fileName: "old.jpg" }));
  await jwtCase("expiresInNegative", docsPayload({ fileName: "negative.jpg" }), { expiresIn: -60 });
  await jwtCase("noTimestamp", docsPayload({ fileName: "noiat.jpg" }), { expiresIn: 600, noTimestamp: true });

  // Keys and algorithms.
  await jwtCase("wrongKey", docsPayload({ fileName: "wrongkey.jpg" }), { key: "private_not_the_right_key_at_all" });
  await jwtCase("hs512", docsPayload({ fileName: "hs512.jpg" }), { alg: "HS512" });
  await jwtCase("unknownKid", docsPayload({ fileName: "kid.jpg" }), { kid: "public_nobody_has_this_key" });

  // One-time: the same JWT twice, then 20 at once.
  {
    const payload = docsPayload({ fileName: "replay.jpg" });
    const token = sign(payload, { expiresIn: 600 });
    const first = await post(payload, token);
    const second = await post(payload, token);
    report("replayFirst", { ...first, jwt: decoded(token) });
    report("replaySecond", { ...second, jwt: decoded(token) });
  }
  {
    const payload = docsPayload({ fileName: "race.jpg" });
    const token = sign(payload, { expiresIn: 600 });
    const results = await Promise.all(Array.from({ length: 20 }, () => post(payload, token)));
    report("parallel20", {
      status: null,
      results: results.map((r) => ({ status: r.status, code: r.body?.code ?? null })),
      successes: results.filter((r) => r.status === 200).map((r) => r.body),
      jwt: decoded(token),
    });
  }

  // --- @imagekit/nodejs (Stainless) --------------------------------------------------------------------------
  // Server-side: Basic base64(privateKey + ":do_not_set") on /api/v1/files/upload, file from an fs stream.
  await sdkCase("stainlessServerSide", (fetch) =>
    new ImageKit({ privateKey, baseURL: base, fetch }).files.upload({
      file: createReadStream(samplePath), fileName: "stainless.png",
    }));

  // Client-side v2. The SDK serializes tags arrays to "a,b" and booleans to "false", so the payload signs those
  // strings. maxRetries 0: a retried request would resend the one-time token.
  const v2Payload = (fileName) => ({ fileName, folder: "/seed/sdk/", useUniqueFileName: "false", tags: "summer,dress" });
  const v2Params = async (fileName, token) => ({
    file: await toFile(sample, basename(samplePath), { type: "image/png" }),
    fileName, folder: "/seed/sdk/", useUniqueFileName: false, tags: ["summer", "dress"], token,
  });
  {
    // No private key in the client: the SDK refuses to send without an explicit "Authorization: null".
    const token = sign(v2Payload("stainless-v2-default.png"), { expiresIn: 600 });
    const params = await v2Params("stainless-v2-default.png", token);
    await sdkCase("stainlessV2NoKeyDefault", (fetch) =>
      new ImageKit({ privateKey: "", baseURL: base, fetch, maxRetries: 0 }).beta.v2.files.upload(params),
      { jwt: decoded(token) });
  }
  {
    const token = sign(v2Payload("stainless-v2.png"), { expiresIn: 600 });
    const params = await v2Params("stainless-v2.png", token);
    await sdkCase("stainlessV2NoKey", (fetch) =>
      new ImageKit({ privateKey: "", baseURL: base, fetch, maxRetries: 0 })
        .beta.v2.files.upload(params, { headers: { Authorization: null } }),
      { jwt: decoded(token) });
  }
  {
    // A client configured with the private key sends Basic alongside the token.
    const token = sign(v2Payload("stainless-v2-both.png"), { expiresIn: 600 });
    const params = await v2Params("stainless-v2-both.png", token);
    await sdkCase("stainlessV2WithKey", (fetch) =>
      new ImageKit({ privateKey, baseURL: base, fetch, maxRetries: 0 }).beta.v2.files.upload(params),
      { jwt: decoded(token) });
  }
  {
    // ... unless that request says "Authorization: null".
    const token = sign(v2Payload("stainless-v2-keyed.png"), { expiresIn: 600 });
    const params = await v2Params("stainless-v2-keyed.png", token);
    await sdkCase("stainlessV2WithKeyNullAuth", (fetch) =>
      new ImageKit({ privateKey, baseURL: base, fetch, maxRetries: 0 })
        .beta.v2.files.upload(params, { headers: { Authorization: null } }),
      { jwt: decoded(token) });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`FAIL: ${e?.stack ?? e}\n`);
    process.exit(1);
  },
);

// Drives ImageKit's official Node SDK (npm "imagekit", pinned in package.json) against an Upfront server.
// Run by dev.upfront.sdk.ImageKitNodeSdkTest; can also be run by hand:
//
//   UPFRONT_URL=http://127.0.0.1:8080 UPFRONT_URL_ENDPOINT=http://localhost:8080/media \
//   UPFRONT_PUBLIC_KEY=public_... UPFRONT_PRIVATE_KEY=private_... \
//   UPFRONT_SAMPLE_FILE=/path/to/small.png node imagekit-v1.mjs
//
// Optional: UPFRONT_SAMPLE_WIDTH / UPFRONT_SAMPLE_HEIGHT (checked against the responses when set),
// UPFRONT_SKIP_URL_UPLOAD=1 (skips the upload whose `file` is a URL; that one needs the server to allow
// fetching from loopback, UPFRONT_FETCH_ALLOW_PRIVATE=true, when it runs on 127.0.0.1).
//
// Prints exactly one JSON line on stdout with every response, and exits 1 with a "FAIL: ..." message on stderr
// at the first check that does not hold.

import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import ImageKit from "imagekit";

class CheckFailed extends Error {}

function fail(message) {
  throw new CheckFailed(message);
}

function check(condition, message) {
  if (!condition) fail(message);
}

function env(name) {
  const value = process.env[name];
  if (value === undefined || value === "") fail(`environment variable ${name} is not set`);
  return value;
}

function show(value) {
  return JSON.stringify(value);
}

/** The fields the SDK's UploadResponse typing declares (and a default v1 response carries), type-checked. */
function checkUploadResponse(step, r, sample) {
  check(r !== null && typeof r === "object", `${step}: response is not an object: ${show(r)}`);
  for (const [field, type] of Object.entries({
    fileId: "string", name: "string", url: "string", thumbnailUrl: "string", filePath: "string",
    fileType: "string", height: "number", width: "number", size: "number", versionInfo: "object",
  })) {
    check(typeof r[field] === type && r[field] !== null, `${step}: ${field} should be a ${type}, got ${show(r[field])} in ${show(r)}`);
  }
  check(/^[0-9a-f]{24}$/.test(r.fileId), `${step}: fileId should be 24 hex characters, got ${show(r.fileId)}`);
  check(typeof r.versionInfo.id === "string" && typeof r.versionInfo.name === "string",
    `${step}: versionInfo should be {id, name}, got ${show(r.versionInfo)}`);
  check(r.versionInfo.id === r.fileId && r.versionInfo.name === "Version 1",
    `${step}: a first upload is Version 1 with versionInfo.id == fileId, got ${show(r.versionInfo)}`);
  check("AITags" in r && r.AITags === null, `${step}: AITags should be present and null, got ${show(r.AITags)}`);
  check(r.fileType === "image", `${step}: fileType should be "image", got ${show(r.fileType)}`);
  check(r.size === sample.bytes.length, `${step}: size should be ${sample.bytes.length}, got ${r.size}`);
  if (sample.width !== undefined) {
    check(r.width === sample.width && r.height === sample.height,
      `${step}: dimensions should be ${sample.width}x${sample.height}, got ${r.width}x${r.height}`);
  }
  check(r.filePath.startsWith("/") && r.filePath.endsWith("/" + r.name),
    `${step}: filePath ${show(r.filePath)} should be /<folder>/<name> for name ${show(r.name)}`);
  check(r.url.endsWith(r.filePath), `${step}: url ${show(r.url)} should end with filePath ${show(r.filePath)}`);
  check(r.thumbnailUrl.includes("/tr:n-ik_ml_thumbnail/"), `${step}: thumbnailUrl ${show(r.thumbnailUrl)} lacks tr:n-ik_ml_thumbnail`);
  // Only with responseFields; a default response must not carry them.
  for (const optional of ["tags", "isPrivateFile", "customCoordinates", "isPublished", "customMetadata", "embeddedMetadata", "metadata"]) {
    if (!(sample.responseFields ?? []).includes(optional)) {
      check(!(optional in r), `${step}: ${optional} was not asked for in responseFields but came back: ${show(r)}`);
    }
  }
}

/** The SDK's own errors carry $ResponseMetadata (non-enumerable); this keeps what a failure report needs. */
function describeSdkError(e) {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.cause ? ` (cause: ${e.cause.code ?? ""} ${e.cause.message ?? e.cause})` : ""}${e.code ? ` [${e.code}]` : ""}`;
  return `${show(e)} (HTTP ${e?.$ResponseMetadata?.statusCode ?? "?"})`;
}

async function sdkUpload(imagekit, step, options) {
  try {
    return await imagekit.upload(options);
  } catch (e) {
    fail(`${step}: imagekit.upload rejected: ${describeSdkError(e)}`);
  }
}

/** A client-side upload as a browser would make it: multipart with publicKey/token/expire/signature, no Basic auth. */
async function rawUpload(uploadEndpoint, fields, fileBytes, fileName) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
  form.append("file", new Blob([fileBytes], { type: "image/png" }), fileName);
  let response;
  try {
    response = await fetch(uploadEndpoint, { method: "POST", body: form });
  } catch (e) {
    fail(`client-side upload: POST ${uploadEndpoint} failed: ${describeSdkError(e)}`);
  }
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body, requestId: response.headers.get("x-request-id") };
}

async function main() {
  const base = env("UPFRONT_URL").replace(/\/+$/, "");
  const urlEndpoint = env("UPFRONT_URL_ENDPOINT");
  const publicKey = env("UPFRONT_PUBLIC_KEY");
  const privateKey = env("UPFRONT_PRIVATE_KEY");
  const uploadEndpoint = `${base}/api/v1/files/upload`;
  const sample = { bytes: readFileSync(env("UPFRONT_SAMPLE_FILE")) };
  if (process.env.UPFRONT_SAMPLE_WIDTH) {
    sample.width = Number(process.env.UPFRONT_SAMPLE_WIDTH);
    sample.height = Number(process.env.UPFRONT_SAMPLE_HEIGHT);
  }

  const imagekit = new ImageKit({ publicKey, privateKey, urlEndpoint, uploadEndpoint });
  const results = { sdkVersion: null, node: process.version };
  try {
    results.sdkVersion = JSON.parse(readFileSync(new URL("./node_modules/imagekit/package.json", import.meta.url), "utf8")).version;
  } catch {
    // informative only
  }

  // a. Client-side: the SDK signs, a plain fetch uploads with those parameters (no Authorization header).
  const auth = imagekit.getAuthenticationParameters();
  const now = Math.floor(Date.now() / 1000);
  check(typeof auth.token === "string" && /^[0-9a-f-]{36}$/.test(auth.token), `getAuthenticationParameters: token should be a UUID, got ${show(auth)}`);
  check(Number.isInteger(auth.expire) && auth.expire > now && auth.expire <= now + 3600,
    `getAuthenticationParameters: expire should be unix seconds within the next hour, got ${show(auth.expire)} (now ${now})`);
  check(/^[0-9a-f]{40}$/.test(auth.signature), `getAuthenticationParameters: signature should be 40 lowercase hex, got ${show(auth.signature)}`);
  const clientFields = {
    fileName: "client.png", folder: "/sdk/client/", tags: "c1,c2", responseFields: "tags",
    publicKey, token: auth.token, expire: auth.expire, signature: auth.signature,
  };
  const client = await rawUpload(uploadEndpoint, clientFields, sample.bytes, "client.png");
  check(client.status === 200, `client-side upload with the SDK's authentication parameters: HTTP ${client.status} ${show(client.body)}`);
  checkUploadResponse("client-side upload", client.body, { ...sample, responseFields: ["tags"] });
  check(isDeepStrictEqual(client.body.tags, ["c1", "c2"]), `client-side upload: tags should be ["c1","c2"], got ${show(client.body.tags)}`);
  check(client.body.filePath.startsWith("/sdk/client/"), `client-side upload: filePath should be under /sdk/client/, got ${show(client.body.filePath)}`);
  results.clientSide = { auth: { token: auth.token, expire: auth.expire }, requestId: client.requestId, response: client.body };

  // The same parameters again: the token is one-time.
  const replay = await rawUpload(uploadEndpoint, clientFields, sample.bytes, "client.png");
  check(replay.status === 400 && typeof replay.body === "object" && String(replay.body.message).includes("has been used before"),
    `replaying the SDK's token should give 400 "has been used before", got HTTP ${replay.status} ${show(replay.body)}`);
  results.clientSideReplay = { status: replay.status, response: replay.body };

  // b. Server-side: the SDK uploads a Buffer itself (multipart via form-data + axios, Basic auth with the private key).
  const server = await sdkUpload(imagekit, "server-side Buffer upload", {
    file: sample.bytes, fileName: "sdk.png", tags: ["a", "b"], folder: "/sdk/", responseFields: ["tags", "isPrivateFile"],
  });
  checkUploadResponse("server-side Buffer upload", server, { ...sample, responseFields: ["tags", "isPrivateFile"] });
  check(isDeepStrictEqual(server.tags, ["a", "b"]), `server-side Buffer upload: tags should be ["a","b"], got ${show(server.tags)}`);
  check(server.isPrivateFile === false, `server-side Buffer upload: isPrivateFile should be false, got ${show(server.isPrivateFile)}`);
  check(/^\/sdk\/sdk_[A-Za-z0-9_-]{9}\.png$/.test(server.filePath),
    `server-side Buffer upload: filePath should be /sdk/sdk_<9 chars>.png (useUniqueFileName defaults to true), got ${show(server.filePath)}`);
  const meta = server.$ResponseMetadata;
  check(meta && meta.statusCode === 200, `server-side Buffer upload: $ResponseMetadata.statusCode should be 200, got ${show(meta)}`);
  results.serverSide = { response: server, statusCode: meta.statusCode, requestId: meta.headers["x-request-id"] ?? null };

  // c1. Server-side, `file` as a base64 string, exact name.
  const b64 = await sdkUpload(imagekit, "server-side base64 upload", {
    file: sample.bytes.toString("base64"), fileName: "sdk-base64.png", folder: "/sdk/", useUniqueFileName: false,
  });
  checkUploadResponse("server-side base64 upload", b64, sample);
  check(b64.filePath === "/sdk/sdk-base64.png", `server-side base64 upload: filePath should be /sdk/sdk-base64.png, got ${show(b64.filePath)}`);
  results.base64 = { response: b64 };

  // c2. Server-side, `file` as a URL: the server downloads the file the Buffer upload stored.
  if (process.env.UPFRONT_SKIP_URL_UPLOAD !== "1") {
    const fromUrl = await sdkUpload(imagekit, "server-side URL upload", {
      file: server.url, fileName: "sdk-url.png", folder: "/sdk/",
    });
    checkUploadResponse("server-side URL upload", fromUrl, sample);
    results.url = { source: server.url, response: fromUrl };
  }

  // An error from the server reaches the caller as the SDK's rejection, with the server's JSON and status.
  const wrongKey = new ImageKit({ publicKey, privateKey: "private_not_the_right_key", urlEndpoint, uploadEndpoint });
  let rejection = null;
  try {
    await wrongKey.upload({ file: sample.bytes, fileName: "nope.png" });
  } catch (e) {
    rejection = e;
  }
  check(rejection !== null, "an upload with a wrong private key should be rejected, it succeeded");
  check(!(rejection instanceof Error), `wrong private key: expected the server's JSON error, got a transport error ${describeSdkError(rejection)}`);
  check(rejection.$ResponseMetadata?.statusCode === 403 && rejection.message === "Your account cannot be authenticated.",
    `wrong private key: expected HTTP 403 "Your account cannot be authenticated.", got ${describeSdkError(rejection)}`);
  results.wrongKey = { statusCode: rejection.$ResponseMetadata.statusCode, response: rejection };

  process.stdout.write(JSON.stringify(results) + "\n");
}

main().then(
  () => process.exit(0),
  (e) => {
    if (e instanceof CheckFailed) {
      process.stderr.write(`FAIL: ${e.message}\n`);
    } else {
      process.stderr.write(`FAIL: unexpected error: ${e?.stack ?? describeSdkError(e)}\n`);
    }
    process.exit(1);
  },
);

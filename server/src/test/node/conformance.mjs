// Computes every case of the shared conformance vectors (repository folder conformance/) with ImageKit's Node SDK
// (npm "imagekit": getAuthenticationParameters, url) and jsonwebtoken (the docs' v2 sample backend), so that
// dev.upfront.sdk.ConformanceNodeTest can compare them with the expected values the files hold.
// Can also be run by hand:   UPFRONT_CONFORMANCE_DIR=../../../../conformance node conformance.mjs
//
// Prints exactly one JSON line: {sdkVersion, jwtVersion, v1: {name: {token, expire, signature}},
// jwts: {name: token}, urls: {name: url}}. Exits 1 with "FAIL: ..." on stderr when a case cannot be computed.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import ImageKit from "imagekit";
import jwt from "jsonwebtoken";

const realNow = Date.now;

/** Runs fn with the JavaScript clock stopped at `seconds` (both SDKs read Date.now / new Date()). */
function at(seconds, fn) {
  Date.now = () => seconds * 1000;
  const RealDate = Date;
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      super(...(args.length ? args : [seconds * 1000]));
    }
    static now() {
      return seconds * 1000;
    }
  };
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
    Date.now = realNow;
  }
}

function version(name) {
  return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
}

try {
  const dir = process.env.UPFRONT_CONFORMANCE_DIR;
  if (!dir) throw new Error("environment variable UPFRONT_CONFORMANCE_DIR is not set");
  const load = (file) => JSON.parse(readFileSync(join(dir, file), "utf8")).cases;
  const result = { sdkVersion: version("imagekit"), jwtVersion: version("jsonwebtoken"), v1: {}, jwts: {}, urls: {} };
  for (const c of load("v1-parameters.json")) {
    const imagekit = new ImageKit({ publicKey: "public_unused", privateKey: c.privateKey, urlEndpoint: "https://unused.example" });
    result.v1[c.name] = imagekit.getAuthenticationParameters(c.token, c.expire);
  }
  for (const c of load("upload-jwts.json")) {
    result.jwts[c.name] = at(c.iat, () => jwt.sign({ ...c.payload }, c.privateKey,
      { expiresIn: c.exp - c.iat, header: { alg: "HS256", typ: "JWT", kid: c.publicKey } }));
  }
  for (const c of load("urls.json")) {
    const imagekit = new ImageKit({ publicKey: "public_unused", privateKey: c.privateKey, urlEndpoint: c.urlEndpoint });
    result.urls[c.name] = at(c.now, () => imagekit.url(c.options));
  }
  process.stdout.write(JSON.stringify(result) + "\n");
} catch (e) {
  process.stderr.write(`FAIL: ${e?.stack ?? e}\n`);
  process.exit(1);
}

// Builds delivery URLs with ImageKit's official Node SDK (npm "imagekit", pinned in package.json):
// imagekit.url({ path | src, transformation, transformationPosition, queryParameters, signed, expireSeconds }).
// Run by dev.upfront.sdk.ImageKitUrlSdkTest, which fetches every URL from the server and decodes the images.
// Can also be run by hand:
//
//   UPFRONT_URL_ENDPOINT=http://localhost:8080/media UPFRONT_PUBLIC_KEY=public_... UPFRONT_PRIVATE_KEY=private_... \
//   UPFRONT_URL_CASES='[{"id":"a","options":{"path":"/x.jpg","transformation":[{"width":100}]}}]' node imagekit-urls.mjs
//
// UPFRONT_URL_CASES is a JSON array of {id, options}; options go to imagekit.url() as they are. Prints exactly one
// JSON line on stdout: {sdkVersion, node, builtAt (Unix seconds), urls: {id: url}}. Exits 1 with "FAIL: ..." on
// stderr when a case cannot be built.

import { readFileSync } from "node:fs";
import ImageKit from "imagekit";

function env(name) {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`environment variable ${name} is not set`);
  return value;
}

try {
  const imagekit = new ImageKit({
    publicKey: env("UPFRONT_PUBLIC_KEY"),
    privateKey: env("UPFRONT_PRIVATE_KEY"),
    urlEndpoint: env("UPFRONT_URL_ENDPOINT"),
  });
  const cases = JSON.parse(env("UPFRONT_URL_CASES"));
  const result = {
    sdkVersion: JSON.parse(readFileSync(new URL("./node_modules/imagekit/package.json", import.meta.url), "utf8")).version,
    node: process.version,
    builtAt: Math.floor(Date.now() / 1000),
    urls: {},
  };
  for (const { id, options } of cases) {
    const url = imagekit.url(options);
    if (typeof url !== "string" || url === "") throw new Error(`case ${id}: the SDK built no URL from ${JSON.stringify(options)}`);
    result.urls[id] = url;
  }
  process.stdout.write(JSON.stringify(result) + "\n");
} catch (e) {
  process.stderr.write(`FAIL: ${e?.stack ?? e}\n`);
  process.exit(1);
}

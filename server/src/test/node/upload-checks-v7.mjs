// Upload `checks` and `transformation` sent through the `upload()` of ImageKit's Stainless-generated SDK, npm
// "@imagekit/nodejs" 7.x (which serialises `transformation` to JSON itself), against an Upfront server.
// Run by dev.upfront.sdk.UploadChecksNodeSdkTest; prints one JSON line with what the SDK's caller saw.

import { File as NodeFile } from "node:buffer";
import { readFileSync } from "node:fs";
import ImageKit, { APIError, toFile } from "@imagekit/nodejs";
import { blockDnsLookups, env, installedVersion, runMain } from "./media-scenario.mjs";

globalThis.File ??= NodeFile; // Node 18 has File only in node:buffer
blockDnsLookups();

/** The status and JSON body the SDK's caller sees, for a success and for a refusal alike. */
const outcome = (promise) =>
  promise.withResponse().then(
    ({ data, response }) => ({ status: response.status, body: data }),
    (e) => {
      if (e instanceof APIError && e.status !== undefined) return { status: e.status, body: e.error };
      throw e;
    },
  );

runMain(async () => {
  const client = new ImageKit({ privateKey: env("UPFRONT_PRIVATE_KEY"), baseURL: env("UPFRONT_URL"), maxRetries: 0 });
  const png = readFileSync(env("UPFRONT_SAMPLE_FILE"));
  const upload = async (options) =>
    outcome(client.files.upload({ file: await toFile(png, "sdk.png"), fileName: "sdk.png", folder: "/sdk-checks/", ...options }));

  const passing = await upload({
    checks: `"request.folder" : "sdk-checks" AND 'file.mime' IN ['image/png'] AND "mediaMetadata.width" = 640`,
    transformation: { pre: "w-100", post: [{ type: "transformation", value: "w-50" }] },
  });
  const failing = await upload({ checks: `"mediaMetadata.width" < 100`, transformation: { pre: "w-100" } });
  console.log(JSON.stringify({ sdkVersion: installedVersion("@imagekit/nodejs"), passing, failing }));
});

// `webhookUrl` sent through the `upload()` of ImageKit's Node SDKs, "imagekit" 6.x and "@imagekit/nodejs" 7.x,
// against an Upfront server. Run by dev.upfront.webhooks.WebhookDeliveryTest; prints one JSON line with the
// status and file id each SDK's caller saw.

import { File as NodeFile } from "node:buffer";
import { readFileSync } from "node:fs";
import ImageKitV7, { APIError, toFile } from "@imagekit/nodejs";
import ImageKitV6 from "imagekit";
import { blockDnsLookups, env, installedVersion, runMain } from "./media-scenario.mjs";

globalThis.File ??= NodeFile; // Node 18 has File only in node:buffer
blockDnsLookups();

runMain(async () => {
  const base = env("UPFRONT_URL");
  const privateKey = env("UPFRONT_PRIVATE_KEY");
  const webhookUrl = env("UPFRONT_HOOK_URL");
  const png = readFileSync(env("UPFRONT_SAMPLE_FILE"));

  const v6 = new ImageKitV6({ publicKey: env("UPFRONT_PUBLIC_KEY"), privateKey, urlEndpoint: `${base}/media`,
    uploadEndpoint: `${base}/api/v1/files/upload` });
  let fromV6;
  try {
    const r = await v6.upload({ file: png, fileName: "hook-v6.png", folder: "/hooks/", webhookUrl });
    fromV6 = { status: r.$ResponseMetadata?.statusCode ?? 200, fileId: r.fileId };
  } catch (e) {
    fromV6 = { status: e?.$ResponseMetadata?.statusCode ?? -1, error: e?.message ?? String(e) };
  }

  const v7 = new ImageKitV7({ privateKey, baseURL: base, maxRetries: 0 });
  let fromV7;
  try {
    const { data, response } = await v7.files
      .upload({ file: await toFile(png, "hook-v7.png"), fileName: "hook-v7.png", folder: "/hooks/", webhookUrl })
      .withResponse();
    fromV7 = { status: response.status, fileId: data.fileId };
  } catch (e) {
    if (!(e instanceof APIError) || e.status === undefined) throw e;
    fromV7 = { status: e.status, error: JSON.stringify(e.error) };
  }
  console.log(JSON.stringify({
    v6Version: installedVersion("imagekit"),
    v7Version: installedVersion("@imagekit/nodejs"),
    v6: fromV6,
    v7: fromV7,
  }));
});

// A video `transformation` sent through the `upload()` of ImageKit's Node SDKs, "imagekit" 6.x and
// "@imagekit/nodejs" 7.x, against an Upfront server with ffmpeg: a video `pre` (ImageKit answers 202 with its queued
// message), a GIF with a `gif-to-video` post, then `files.update` with a `webhookUrl`. Run by
// dev.upfront.upload.VideoTransformationTest; prints one JSON line with what each SDK's caller saw.

import { File as NodeFile } from "node:buffer";
import { readFileSync } from "node:fs";
import ImageKitV7, { APIError, toFile } from "@imagekit/nodejs";
import ImageKitV6 from "imagekit";
import { blockDnsLookups, env, runMain } from "./media-scenario.mjs";

globalThis.File ??= NodeFile; // Node 18 has File only in node:buffer
blockDnsLookups();

async function outcome(call) {
  try {
    const { data, response } = await call().withResponse();
    return { status: response.status, body: data };
  } catch (e) {
    if (!(e instanceof APIError) || e.status === undefined) throw e;
    return { status: e.status, body: e.error };
  }
}

runMain(async () => {
  const base = env("UPFRONT_URL");
  const privateKey = env("UPFRONT_PRIVATE_KEY");
  const video = readFileSync(env("UPFRONT_VIDEO_FILE"));
  const gif = readFileSync(env("UPFRONT_GIF_FILE"));

  const v6 = new ImageKitV6({ publicKey: env("UPFRONT_PUBLIC_KEY"), privateKey, urlEndpoint: `${base}/media`,
    uploadEndpoint: `${base}/api/v1/files/upload` });
  let v6Pre;
  try {
    const r = await v6.upload({ file: video, fileName: "sdk-v6.mp4", useUniqueFileName: false,
      transformation: { pre: "w-160" } });
    v6Pre = { status: r.$ResponseMetadata?.statusCode ?? -1, body: { message: r.message } };
  } catch (e) {
    v6Pre = { status: e?.$ResponseMetadata?.statusCode ?? -1, body: { message: e?.message ?? String(e) } };
  }

  const v7 = new ImageKitV7({ privateKey, baseURL: base, maxRetries: 0 });
  const videoFile = await toFile(video, "sdk-v7.mp4");
  const gifFile = await toFile(gif, "sdk-v7.gif");
  const v7Pre = await outcome(() => v7.files.upload({ file: videoFile, fileName: "sdk-v7.mp4",
    useUniqueFileName: false, transformation: { pre: "w-160" } }));
  const v7Gif = await outcome(() => v7.files.upload({ file: gifFile, fileName: "sdk-v7.gif",
    useUniqueFileName: false, transformation: { post: [{ type: "gif-to-video" }] } }));
  const v7Update = await outcome(() => v7.files.update(v7Gif.body.fileId,
    { tags: ["sdk-patched"], webhookUrl: env("UPFRONT_HOOK_URL") }));
  console.log(JSON.stringify({ v6Pre, v7Pre, v7Gif, v7Update }));
});

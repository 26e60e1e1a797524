// The media API scenario (media-scenario.mjs) through ImageKit's Stainless-generated SDK, npm "@imagekit/nodejs"
// 7.x, with baseURL pointing at the Upfront server (the SDK then sends Basic base64(privateKey + ":do_not_set")).
// Run by dev.upfront.sdk.MediaApiNodeSdkV7Test; can also be run by hand against a fresh server:
//
//   UPFRONT_URL=http://127.0.0.1:8080 UPFRONT_PRIVATE_KEY=private_... UPFRONT_SAMPLES=/folder/with/samples \
//   node media-v7.mjs
//
// (the sample files are those MediaApiNodeSdkContract writes: a.png b.png c1.png c2.png v1.png v2.png v3.png
// photo.jpg note.txt). Each SDK call is made with .withResponse(), so the HTTP status is reported as the SDK saw it.

import { File as NodeFile } from "node:buffer";
import ImageKit, { APIError, toFile } from "@imagekit/nodejs";
import { blockDnsLookups, env, installedVersion, runMain, runScenario } from "./media-scenario.mjs";

// Node 18 has File only in node:buffer; @imagekit/nodejs needs the global (Node 20+ has it).
if (typeof globalThis.File === "undefined") globalThis.File = NodeFile;

blockDnsLookups();

/** Resolves an SDK call to {status, body}, or {status, body: the error JSON, error: true} when the server said no. */
async function call(promise) {
  try {
    const { data, response } = await promise.withResponse();
    return { status: response.status, body: data ?? null };
  } catch (e) {
    if (e instanceof APIError && e.status !== undefined) return { status: e.status, body: e.error ?? null, error: true };
    throw e; // no HTTP answer: reported as a transport error
  }
}

runMain(async () => {
  const client = new ImageKit({ privateKey: env("UPFRONT_PRIVATE_KEY"), baseURL: env("UPFRONT_URL"), maxRetries: 0 });
  const sdk = {
    name: "@imagekit/nodejs",
    sdkVersion: installedVersion("@imagekit/nodejs"),
    upload: async ({ file, fileName, ...options }) =>
      call(client.files.upload({ file: await toFile(file, fileName), fileName, ...options })),
    get: (fileId) => call(client.files.get(fileId)),
    update: (fileId, body) => call(client.files.update(fileId, body)),
    delete: (fileId) => call(client.files.delete(fileId)),
    bulkDelete: (fileIds) => call(client.files.bulk.delete({ fileIds })),
    addTags: (fileIds, tags) => call(client.files.bulk.addTags({ fileIds, tags })),
    removeTags: (fileIds, tags) => call(client.files.bulk.removeTags({ fileIds, tags })),
    removeAITags: (fileIds, AITags) => call(client.files.bulk.removeAITags({ fileIds, AITags })),
    copy: (body) => call(client.files.copy(body)),
    move: (body) => call(client.files.move(body)),
    rename: (body) => call(client.files.rename(body)),
    metadata: (fileId) => call(client.files.metadata.get(fileId)),
    metadataOfUrl: (url) => call(client.files.metadata.getFromURL({ url })),
    versions: (fileId) => call(client.files.versions.list(fileId)),
    version: (fileId, versionId) => call(client.files.versions.get(versionId, { fileId })),
    deleteVersion: (fileId, versionId) => call(client.files.versions.delete(versionId, { fileId })),
    restore: (fileId, versionId) => call(client.files.versions.restore(versionId, { fileId })),
    // AssetListParams has no `tags` (the legacy filter); the SDK passes unknown keys through to the query string,
    // as ImageKit's own docs for the legacy parameter expect a comma-separated value.
    list: ({ tags, ...query }) => call(client.assets.list(tags ? { ...query, tags: tags.join(",") } : query)),
    createFolder: (body) => call(client.folders.create(body)),
    deleteFolder: (folderPath) => call(client.folders.delete({ folderPath })),
    copyFolder: (body) => call(client.folders.copy(body)), // includeVersions, as the SDK's FolderCopyParams
    moveFolder: (body) => call(client.folders.move(body)),
    renameFolder: (body) => call(client.folders.rename(body)),
    job: (jobId) => call(client.folders.job.get(jobId)),
    createField: (body) => call(client.customMetadataFields.create(body)),
    listFields: (includeDeleted) => call(client.customMetadataFields.list({ includeDeleted })),
    updateField: (id, body) => call(client.customMetadataFields.update(id, body)),
    deleteField: (id) => call(client.customMetadataFields.delete(id)),
  };
  await runScenario(sdk, env("UPFRONT_SAMPLES"));
});

// The media API scenario (media-scenario.mjs) through ImageKit's classic Node SDK, npm "imagekit" 6.x.
// That SDK builds every media API URL from the hard-coded https://api.imagekit.io; its HTTP client (axios) honours
// HTTPS_PROXY, so dev.upfront.sdk.MediaApiNodeSdkV6Test runs this script with HTTPS_PROXY pointing at
// dev.upfront.testing.ImageKitApiProxy (a CONNECT proxy on 127.0.0.1 that terminates TLS for api.imagekit.io with a
// test certificate, trusted here through NODE_EXTRA_CA_CERTS, and forwards to the Upfront server). Uploads go
// straight to UPFRONT_URL through the SDK's uploadEndpoint option. By hand (with such a proxy running):
//
//   HTTPS_PROXY=http://127.0.0.1:<proxy> NO_PROXY=127.0.0.1 NODE_EXTRA_CA_CERTS=/path/api-imagekit-io.pem \
//   UPFRONT_URL=http://127.0.0.1:8080 UPFRONT_URL_ENDPOINT=http://localhost:8080/media \
//   UPFRONT_PUBLIC_KEY=public_... UPFRONT_PRIVATE_KEY=private_... UPFRONT_SAMPLES=/folder/with/samples node media-v6.mjs
//
// The script refuses to start without a loopback HTTPS_PROXY, and blocks DNS lookups, so nothing can reach the real
// api.imagekit.io.

import ImageKit from "imagekit";
import { blockDnsLookups, env, installedVersion, runMain, runScenario } from "./media-scenario.mjs";

blockDnsLookups();

/** Resolves an SDK call to {status, body}, or {status, body: the error JSON, error: true} when it was rejected. */
async function call(promise) {
  try {
    const r = await promise;
    return { status: r?.$ResponseMetadata?.statusCode ?? null, body: r };
  } catch (e) {
    if (e && !(e instanceof Error) && typeof e === "object") {
      // The server's JSON error (with $ResponseMetadata), or the SDK's own argument check (without).
      return { status: e.$ResponseMetadata?.statusCode ?? null, body: e, error: true };
    }
    throw e; // no HTTP answer (axios error): reported as a transport error
  }
}

runMain(async () => {
  const proxy = env("HTTPS_PROXY");
  if (!/^http:\/\/127\.0\.0\.1:\d+\/?$/.test(proxy)) {
    throw new Error(`HTTPS_PROXY must be a proxy on 127.0.0.1 (got ${proxy}): the SDK would otherwise call api.imagekit.io`);
  }
  const base = env("UPFRONT_URL").replace(/\/+$/, "");
  const imagekit = new ImageKit({
    publicKey: env("UPFRONT_PUBLIC_KEY"),
    privateKey: env("UPFRONT_PRIVATE_KEY"),
    urlEndpoint: env("UPFRONT_URL_ENDPOINT"),
    uploadEndpoint: `${base}/api/v1/files/upload`,
  });
  const sdk = {
    name: "imagekit",
    sdkVersion: installedVersion("imagekit"),
    upload: (options) => call(imagekit.upload(options)),
    get: (fileId) => call(imagekit.getFileDetails(fileId)),
    update: (fileId, body) => call(imagekit.updateFileDetails(fileId, body)),
    delete: (fileId) => call(imagekit.deleteFile(fileId)),
    bulkDelete: (fileIds) => call(imagekit.bulkDeleteFiles(fileIds)),
    addTags: (fileIds, tags) => call(imagekit.bulkAddTags(fileIds, tags)),
    removeTags: (fileIds, tags) => call(imagekit.bulkRemoveTags(fileIds, tags)),
    removeAITags: (fileIds, aiTags) => call(imagekit.bulkRemoveAITags(fileIds, aiTags)),
    copy: (options) => call(imagekit.copyFile(options)),
    move: (options) => call(imagekit.moveFile(options)),
    rename: (options) => call(imagekit.renameFile(options)),
    metadata: (fileId) => call(imagekit.getFileMetadata(fileId)),
    metadataOfUrl: (url) => call(imagekit.getFileMetadata(url)), // a URL argument: GET /v1/metadata?url=
    versions: (fileId) => call(imagekit.getFileVersions(fileId)),
    version: (fileId, versionId) => call(imagekit.getFileVersionDetails({ fileId, versionId })),
    deleteVersion: (fileId, versionId) => call(imagekit.deleteFileVersion({ fileId, versionId })),
    restore: (fileId, versionId) => call(imagekit.restoreFileVersion({ fileId, versionId })),
    list: (options) => call(imagekit.listFiles(options)), // tags as an array: the SDK joins it with ","
    createFolder: (options) => call(imagekit.createFolder(options)),
    deleteFolder: (folderPath) => call(imagekit.deleteFolder(folderPath)),
    // This SDK names the flag includeFileVersions (as ImageKit's docs); @imagekit/nodejs says includeVersions.
    copyFolder: ({ includeVersions, ...options }) => call(imagekit.copyFolder({ ...options, includeFileVersions: includeVersions })),
    moveFolder: (options) => call(imagekit.moveFolder(options)),
    job: (jobId) => call(imagekit.getBulkJobStatus(jobId)),
    createField: (options) => call(imagekit.createCustomMetadataField(options)),
    listFields: (includeDeleted) => call(imagekit.getCustomMetadataFields({ includeDeleted })),
    updateField: (id, options) => call(imagekit.updateCustomMetadataField(id, options)),
    deleteField: (id) => call(imagekit.deleteCustomMetadataField(id)),
  };
  await runScenario(sdk, env("UPFRONT_SAMPLES"));
});

// The media API scenario shared by media-v6.mjs (npm "imagekit" 6.x) and media-v7.mjs (npm "@imagekit/nodejs" 7.x).
// Each of those scripts binds the scenario's calls to its SDK; this module runs them in order against an Upfront
// server and reports every call as one JSON line on stdout:
//
//   {"step": name, "status": HTTP status the SDK saw (null when none), "error": true when the SDK rejected,
//    "body": what the SDK resolved or rejected with (JSON-normalised), "transport": message when no HTTP answer}
//
// The first line is {"step": "environment", ...}. The script only reports; the Java tests
// (dev.upfront.sdk.MediaApiNodeSdk*Test) decide, and check the library state afterwards. Every call works on its own
// files and folders under /m/, so the final state shows the effect of each call. Exits 1 only when the script itself
// breaks (bad environment), with "FAIL: ..." on stderr.
//
// Loopback only: DNS lookups are blocked in this process (both SDKs then reach nothing but IP literals), so no call
// can leave the machine even if the SDK or the proxy set-up were wrong.

import dns from "node:dns";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Makes every name lookup fail: the server and the proxy are addressed as 127.0.0.1. */
export function blockDnsLookups() {
  const refuse = (host) =>
    Object.assign(new Error(`DNS lookup of ${host} blocked: this test talks to 127.0.0.1 only`), { code: "EAI_BLOCKED" });
  dns.lookup = function (host, ...args) {
    const callback = args.pop();
    process.nextTick(callback, refuse(host));
  };
  dns.promises.lookup = async (host) => {
    throw refuse(host);
  };
}

export function env(name) {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
  } catch {
    return null;
  }
}

/** A transport failure (no HTTP answer), described with its cause chain. */
export function describeError(e) {
  if (!(e instanceof Error)) return JSON.stringify(e);
  let text = `${e.name}: ${e.message}${e.code ? ` [${e.code}]` : ""}`;
  for (let c = e.cause; c; c = c.cause) text += ` (cause: ${c.code ?? ""} ${c.message ?? c})`;
  return text;
}

/** JSON-normalised copy: what JSON.stringify keeps (the v6 SDK's $ResponseMetadata is non-enumerable). */
function plain(value) {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export const MISSING_ID = "000000000000000000000000";

/**
 * Runs the scenario.
 *
 * @param sdk the bindings: {name, sdkVersion, call names below}; every call resolves to {status, body, error?, transport?}
 * @param samples folder with the sample files the Java test wrote
 */
export async function runScenario(sdk, samplesDir) {
  const sample = (name) => readFileSync(join(samplesDir, name));
  const report = (line) => process.stdout.write(JSON.stringify(line) + "\n");

  report({ step: "environment", sdk: sdk.name, version: sdk.sdkVersion, node: process.version, proxy: process.env.HTTPS_PROXY ?? null });

  /** One call, reported under `name`; resolves to the normalised result. */
  async function step(name, call) {
    let r;
    try {
      r = await call();
    } catch (e) {
      r = { status: null, error: true, transport: describeError(e) };
    }
    r = { status: r.status ?? null, error: Boolean(r.error), body: plain(r.body), ...(r.transport ? { transport: r.transport } : {}) };
    report({ step: name, ...r });
    return r;
  }

  /** Uploads a sample under an exact path (useUniqueFileName false: the same path again adds a version). */
  async function upload(name, sampleName, folder, fileName, extra = {}) {
    const r = await step(`upload:${name}`, () =>
      sdk.upload({ file: sample(sampleName), fileName, folder, useUniqueFileName: false, ...extra }));
    return r.body ?? {};
  }

  // ---- Custom metadata fields --------------------------------------------------------------------------------
  await step("cmf.create.brand", () =>
    sdk.createField({ name: "brand", label: "Brand", schema: { type: "Text", maxLength: 20 } }));
  await step("cmf.create.price", () =>
    sdk.createField({ name: "price", label: "Price", schema: { type: "Number", minValue: 1, maxValue: 1000 } }));
  await step("cmf.create.size", () =>
    sdk.createField({ name: "size", label: "Size", schema: { type: "SingleSelect", selectOptions: ["S", "M", "L"] } }));
  const obsolete = await step("cmf.create.obsolete", () =>
    sdk.createField({ name: "obsolete", label: "Obsolete", schema: { type: "Boolean" } }));
  await step("cmf.create.invalidSchema", () =>
    sdk.createField({ name: "bad", label: "Bad", schema: { type: "Number", maxLength: 5 } }));
  const priceId = (await step("cmf.list.beforeUpdate", () => sdk.listFields(false))).body?.find?.((f) => f.name === "price")?.id;
  await step("cmf.update.price", () => sdk.updateField(priceId, { label: "Price (EUR)", schema: { minValue: 10, maxValue: 500 } }));
  await step("cmf.delete.obsolete", () => sdk.deleteField(obsolete.body?.id));
  await step("cmf.list", () => sdk.listFields(false));
  await step("cmf.list.includeDeleted", () => sdk.listFields(true));

  // Values are checked against the fields on upload and on PATCH.
  await upload("cmfInvalid", "b.png", "/m/cmf/", "bad.png", { customMetadata: { price: 5000 } });
  const good = await upload("cmfGood", "b.png", "/m/cmf/", "good.png", { customMetadata: { brand: "Acme", price: 20 } });
  await step("cmf.patch.invalidValue", () => sdk.update(good.fileId, { customMetadata: { brand: 42 } }));
  await step("cmf.patch.deletedField", () => sdk.update(good.fileId, { customMetadata: { obsolete: true } }));

  // ---- File details ------------------------------------------------------------------------------------------
  const a = await upload("a", "a.png", "/m/files/", "a.png", { tags: ["alpha"] });
  await step("files.get", () => sdk.get(a.fileId));
  await step("files.update", () => sdk.update(a.fileId, {
    tags: ["t1", "t2"], customCoordinates: "1,2,10,10", customMetadata: { brand: "Acme", price: 99 },
  }));
  await step("files.update.merge", () => sdk.update(a.fileId, { customMetadata: { price: null, size: "M" } }));
  const a2 = await upload("a2", "b.png", "/m/files/", "a2.png", { tags: ["x"], customCoordinates: "0,0,5,5" });
  await step("files.update.unset", () => sdk.update(a2.fileId, { tags: null, customCoordinates: null }));

  // Publication: p1 unpublished with all versions; p2 the same, then only its current version published again.
  await upload("p1v1", "c1.png", "/m/files/", "p1.png");
  const p1 = await upload("p1v2", "c2.png", "/m/files/", "p1.png");
  await step("files.unpublishAll", () => sdk.update(p1.fileId, { publish: { isPublished: false, includeFileVersions: true } }));
  await upload("p2v1", "c1.png", "/m/files/", "p2.png");
  const p2 = await upload("p2v2", "c2.png", "/m/files/", "p2.png");
  await step("files.p2.unpublishAll", () => sdk.update(p2.fileId, { publish: { isPublished: false, includeFileVersions: true } }));
  await step("files.publishCurrent", () => sdk.update(p2.fileId, { publish: { isPublished: true } }));

  // ---- Delete, bulk delete ----------------------------------------------------------------------------------
  const d = await upload("d", "b.png", "/m/files/", "d.png");
  await step("files.delete", () => sdk.delete(d.fileId));
  await step("files.get.deleted", () => sdk.get(d.fileId));
  const b1 = await upload("b1", "b.png", "/m/bulk/", "b1.png");
  const b2 = await upload("b2", "b.png", "/m/bulk/", "b2.png");
  const b3 = await upload("b3", "b.png", "/m/bulk/", "b3.png");
  await step("bulk.delete", () => sdk.bulkDelete([b1.fileId, b2.fileId]));
  await step("bulk.delete.missing", () => sdk.bulkDelete([b3.fileId, MISSING_ID]));

  // ---- Tags in bulk -----------------------------------------------------------------------------------------
  const t1 = await upload("t1", "b.png", "/m/tags/", "t1.png", { tags: ["keep"] });
  const t2 = await upload("t2", "b.png", "/m/tags/", "t2.png");
  await step("tags.add", () => sdk.addTags([t1.fileId, t2.fileId], ["sale", "new"]));
  await step("tags.remove", () => sdk.removeTags([t1.fileId, t2.fileId], ["new"]));
  await step("tags.add.missing", () => sdk.addTags([t1.fileId, MISSING_ID], ["never"]));
  await step("tags.removeAI", () => sdk.removeAITags([t1.fileId, t2.fileId], ["car"]));
  await step("tags.removeAI.missing", () => sdk.removeAITags([t2.fileId, MISSING_ID], ["car"]));

  // ---- Copy, move, rename -----------------------------------------------------------------------------------
  await upload("cv1", "c1.png", "/m/copy/src/", "c.png");
  await upload("cv2", "c2.png", "/m/copy/src/", "c.png");
  await step("copy.latest", () => sdk.copy({ sourceFilePath: "/m/copy/src/c.png", destinationPath: "/m/copy/one/", includeFileVersions: false }));
  await step("copy.withVersions", () => sdk.copy({ sourceFilePath: "/m/copy/src/c.png", destinationPath: "/m/copy/all/", includeFileVersions: true }));
  await step("copy.ontoExisting", () => sdk.copy({ sourceFilePath: "/m/copy/src/c.png", destinationPath: "/m/copy/one/", includeFileVersions: true }));
  await step("copy.missing", () => sdk.copy({ sourceFilePath: "/m/copy/nope.png", destinationPath: "/m/copy/one/", includeFileVersions: false }));
  await upload("m", "a.png", "/m/move/src/", "m.png");
  await step("move", () => sdk.move({ sourceFilePath: "/m/move/src/m.png", destinationPath: "/m/move/dst/" }));
  await upload("r", "a.png", "/m/rename/", "r.png");
  await upload("rOther", "b.png", "/m/rename/", "other.png");
  await step("rename.purge", () => sdk.rename({ filePath: "/m/rename/r.png", newFileName: "r2.png", purgeCache: true }));
  await step("rename.plain", () => sdk.rename({ filePath: "/m/rename/r2.png", newFileName: "r3.png", purgeCache: false }));
  await step("rename.conflict", () => sdk.rename({ filePath: "/m/rename/other.png", newFileName: "r3.png", purgeCache: false }));

  // ---- Metadata ---------------------------------------------------------------------------------------------
  await step("metadata.png", () => sdk.metadata(a.fileId));
  const jpg = await upload("jpg", "photo.jpg", "/m/files/", "photo.jpg");
  await step("metadata.jpg", () => sdk.metadata(jpg.fileId));

  // The metadata of a file on the web (served by the Java test on 127.0.0.1; the server may fetch private targets).
  if (process.env.UPFRONT_REMOTE_SAMPLE) {
    await step("metadata.url", () => sdk.metadataOfUrl(process.env.UPFRONT_REMOTE_SAMPLE));
  }

  // ---- Details: description, removeAITags, extensions -----------------------------------------------------
  // (imagekit 6's updateFileDetails sends only tags, customCoordinates, extensions, webhookUrl, customMetadata.)
  const g = await upload("gap", "b.png", "/m/gaps/", "g.png", { tags: ["gap"] });
  await step("files.update.description", () => sdk.update(g.fileId, { description: "Gap file", removeAITags: ["car"] }));
  await step("files.update.extensions", () =>
    sdk.update(g.fileId, { tags: ["changed"], extensions: [{ name: "google-auto-tagging", maxTags: 5, minConfidence: 95 }] }));

  // ---- Rename folder (@imagekit/nodejs only: imagekit 6 has no call for it) --------------------------------
  if (sdk.renameFolder) {
    await upload("ren", "b.png", "/m/gaps/ren/", "r.png");
    await upload("renSub", "b.png", "/m/gaps/ren/sub/", "s.png");
    const renamed = await step("folders.rename", () =>
      sdk.renameFolder({ folderPath: "/m/gaps/ren/", newFolderName: "renamed", purgeCache: false }));
    await step("folders.rename.job", () => sdk.job(renamed.body?.jobId));
  }

  // ---- Versions ---------------------------------------------------------------------------------------------
  const v1 = await upload("v1", "v1.png", "/m/versions/", "v.png");
  const v2 = await upload("v2", "v2.png", "/m/versions/", "v.png");
  const v3 = await upload("v3", "v3.png", "/m/versions/", "v.png");
  const fileId = v1.fileId;
  await step("versions.list", () => sdk.versions(fileId));
  await step("versions.get", () => sdk.version(fileId, v1.versionInfo?.id));
  await step("versions.delete", () => sdk.deleteVersion(fileId, v2.versionInfo?.id));
  await step("versions.get.deleted", () => sdk.version(fileId, v2.versionInfo?.id));
  await step("versions.deleteCurrent", () => sdk.deleteVersion(fileId, v3.versionInfo?.id));
  await step("versions.restore", () => sdk.restore(fileId, v1.versionInfo?.id));
  await step("versions.list.afterRestore", () => sdk.versions(fileId));

  // ---- Listing and search -----------------------------------------------------------------------------------
  await upload("l1v1", "a.png", "/m/list/", "l1.png", { tags: ["lred"] });
  await upload("l2", "photo.jpg", "/m/list/", "l2.jpg", { tags: ["lblue"] });
  await upload("l3", "note.txt", "/m/list/", "l3.txt");
  await upload("l4", "b.png", "/m/list/sub/", "l4.png", { tags: ["lred"] });
  await upload("l1v2", "b.png", "/m/list/", "l1.png", { tags: ["lred"] });
  const path = "/m/list/";
  await step("list.path", () => sdk.list({ path }));
  await step("list.sortName", () => sdk.list({ path, sort: "DESC_NAME" }));
  await step("list.folders", () => sdk.list({ path, type: "folder" }));
  await step("list.all", () => sdk.list({ path, type: "all", sort: "ASC_NAME" }));
  await step("list.nonImage", () => sdk.list({ path, fileType: "non-image" }));
  await step("list.image", () => sdk.list({ path, fileType: "image", sort: "ASC_NAME" }));
  await step("list.tags", () => sdk.list({ path, tags: ["lred"] }));
  await step("list.page", () => sdk.list({ path, sort: "ASC_NAME", limit: 1, skip: 1 }));
  await step("list.versions", () => sdk.list({ path, type: "file-version" }));
  await step("search.name", () => sdk.list({ searchQuery: 'name = "l2.jpg"' }));
  await step("search.tags", () => sdk.list({ searchQuery: 'tags IN ["lred", "lblue"] AND format = "png"', sort: "ASC_NAME" }));
  await step("search.customMetadata", () => sdk.list({ searchQuery: '"customMetadata.brand" = "Acme"', sort: "ASC_NAME" }));

  // ---- Folders and bulk jobs --------------------------------------------------------------------------------
  await step("folders.create", () => sdk.createFolder({ folderName: "made", parentFolderPath: "/m/folders/" }));
  await step("folders.create.nested", () => sdk.createFolder({ folderName: "deep", parentFolderPath: "/m/folders/auto/parent/" }));
  await upload("x1", "c1.png", "/m/folders/doomed/", "x.png");
  await upload("x2", "c2.png", "/m/folders/doomed/", "x.png");
  await upload("y", "b.png", "/m/folders/doomed/inner/", "y.png");
  await step("folders.delete", () => sdk.deleteFolder("/m/folders/doomed/"));
  await step("folders.delete.missing", () => sdk.deleteFolder("/m/folders/doomed/"));
  await upload("s1v1", "c1.png", "/m/folders/src/", "s1.png");
  await upload("s1v2", "c2.png", "/m/folders/src/", "s1.png");
  await upload("s2", "b.png", "/m/folders/src/sub/", "s2.png");
  const copied = await step("folders.copy", () =>
    sdk.copyFolder({ sourceFolderPath: "/m/folders/src/", destinationPath: "/m/folders/copied/", includeVersions: true }));
  await step("folders.copy.job", () => sdk.job(copied.body?.jobId));
  await step("folders.copy.latest", () =>
    sdk.copyFolder({ sourceFolderPath: "/m/folders/src/", destinationPath: "/m/folders/latest/", includeVersions: false }));
  await step("folders.copy.missing", () =>
    sdk.copyFolder({ sourceFolderPath: "/m/folders/none/", destinationPath: "/m/folders/copied/", includeVersions: false }));
  await upload("mv", "a.png", "/m/folders/mv/", "m1.png");
  const moved = await step("folders.move", () => sdk.moveFolder({ sourceFolderPath: "/m/folders/mv/", destinationPath: "/m/folders/moved/" }));
  await step("folders.move.job", () => sdk.job(moved.body?.jobId));
  await step("folders.job.missing", () => sdk.job(MISSING_ID));

  report({ step: "done" });
}

/** Runs `main`, turning a broken environment into exit 1 with "FAIL: ..." on stderr. */
export function runMain(main) {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`FAIL: ${e?.stack ?? describeError(e)}\n`);
      process.exit(1);
    },
  );
}

// @imagekit/javascript 5 as its README shows it: upload() with credentials from the app's backend, no xhr
// option; the page's imagekit-redirect.js script alone sends the request to Upfront.
import { buildSrc, upload } from "@imagekit/javascript";
import { config, describeError, finish, preview, testImage } from "./report.js";

async function run() {
  const { token, expire, signature } = await (await fetch("/auth")).json();
  const progress = [];
  let response;
  try {
    response = await upload({
      file: await testImage(640, 480),
      fileName: "js5.png",
      publicKey: config.publicKey,
      token, expire, signature,
      folder: config.folder,
      useUniqueFileName: false,
      onProgress: (e) => progress.push({ loaded: e.loaded, total: e.total }),
    });
  } catch (e) {
    return { error: describeError(e), progress };
  }
  const src = buildSrc({ urlEndpoint: config.urlEndpoint, src: response.filePath, transformation: [{ width: 100 }] });
  return { response, progress, metadata: response.$ResponseMetadata, preview: await preview(src), fetchV2: await fetchV2() };
}

/** An app that POSTs to ImageKit's v2 URL itself with fetch() and a JWT: the redirect covers fetch too. */
async function fetchV2() {
  const uploadPayload = { fileName: "fetch-v2.png", folder: config.folder };
  const { token } = await (await fetch("/auth", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ uploadPayload, expire: 600, publicKey: config.publicKey }),
  })).json();
  const form = new FormData();
  form.set("file", await testImage(320, 240), "fetch-v2.png");
  for (const [key, value] of Object.entries(uploadPayload)) form.set(key, value);
  form.set("token", token);
  const r = await fetch(new Request("https://upload.imagekit.io/api/v2/files/upload", { method: "POST", body: form }));
  return { status: r.status, body: await r.json() };
}

run().then(finish, (e) => finish({ failure: describeError(e) }));

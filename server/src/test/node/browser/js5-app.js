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
  return { response, progress, metadata: response.$ResponseMetadata, preview: await preview(src) };
}

run().then(finish, (e) => finish({ failure: describeError(e) }));

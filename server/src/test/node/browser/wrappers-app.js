// ImageKit's current framework packages, @imagekit/react 5, @imagekit/vue 4 and @imagekit/next 2, have no upload
// component: each re-exports upload() and buildSrc() from @imagekit/javascript 5, which an app imports from the
// framework package. Each is used so here, unchanged; the page's imagekit-redirect.js script alone sends the uploads
// to Upfront. (@imagekit/next's entry also imports next/image for its <Image>: the bundle maps that one import to a
// stub, see build-browser-apps.mjs, as this page runs outside Next.js; upload() does not use it.)
import * as ikReact from "@imagekit/react";
import * as ikVue from "@imagekit/vue";
import * as ikNext from "@imagekit/next";
import { config, describeError, finish, preview, testImage } from "./report.js";

const packages = { react: ikReact, vue: ikVue, next: ikNext };

async function uploadWith(name) {
  const { upload, buildSrc } = packages[name];
  const { token, expire, signature } = await (await fetch("/auth")).json();
  const progress = [];
  let response;
  try {
    response = await upload({
      file: await testImage(640, 480), fileName: `${name}-sdk.png`, publicKey: config.publicKey,
      token, expire, signature, folder: config.folder, useUniqueFileName: false,
      onProgress: (e) => progress.push({ loaded: e.loaded, total: e.total }),
    });
  } catch (e) {
    return { error: describeError(e), progress };
  }
  const src = buildSrc({ urlEndpoint: config.urlEndpoint, src: response.filePath, transformation: [{ width: 100 }] });
  return { response, progress, preview: await preview(src) };
}

async function run() {
  const results = {};
  for (const name of Object.keys(packages)) {
    results[name] = await uploadWith(name);
  }
  return { results };
}

run().then(finish, (e) => finish({ failure: describeError(e) }));

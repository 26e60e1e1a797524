// imagekit-javascript 1.x-4.x (the package's old name; npm aliases imagekit-javascript-1..4 in package.json), each
// used as its README shows: new ImageKit({...}) and imagekit.upload(...), then imagekit.url(...) for the preview.
// 1.x fetches its own credentials from authenticationEndpoint; 2.x-4.x take token, signature and expire from the
// app. None has an endpoint option: the page's imagekit-redirect.js script alone sends the uploads to Upfront.
import ImageKit1 from "imagekit-javascript-1";
import ImageKit2 from "imagekit-javascript-2";
import ImageKit3 from "imagekit-javascript-3";
import ImageKit4 from "imagekit-javascript-4";
import { config, describeError, finish, preview, testImage } from "./report.js";

const versions = { 1: ImageKit1, 2: ImageKit2, 3: ImageKit3, 4: ImageKit4 };

async function uploadWith(major) {
  const ImageKit = versions[major];
  const fileName = `legacy-${major}.png`;
  const options = { file: await testImage(640, 480), fileName, folder: config.folder, useUniqueFileName: false };
  let imagekit;
  if (major === 1) {
    // 1.x: GET authenticationEndpoint?t=<random> (an absolute URL: the SDK calls new URL() on it).
    imagekit = new ImageKit({ publicKey: config.publicKey, urlEndpoint: config.urlEndpoint,
      authenticationEndpoint: new URL("/auth", location.href).href });
  } else {
    imagekit = new ImageKit({ publicKey: config.publicKey, urlEndpoint: config.urlEndpoint });
    Object.assign(options, await (await fetch("/auth")).json());
  }
  let response;
  try {
    response = await imagekit.upload(options);
  } catch (e) {
    return { error: describeError(e) };
  }
  const src = imagekit.url({ path: response.filePath, transformation: [{ width: 100 }] });
  return { response, metadata: response.$ResponseMetadata, preview: await preview(src) };
}

async function run() {
  const results = {};
  for (const major of [1, 2, 3, 4]) {
    results[major] = await uploadWith(major); // one after another: the test matches credentials to uploads in order
  }
  return { results };
}

run().then(finish, (e) => finish({ failure: describeError(e) }));

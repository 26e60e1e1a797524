// Installs the ImageKit upload redirect one of two ways (config.mode), pointing at config.endpoint rather than at
// the server the code came from, then uploads the way ImageKit's browser clients do: an XMLHttpRequest POST of a
// form to ImageKit's hard-coded v1 URL.
//   "attribute": <script src="<server>/sdk/imagekit-redirect.js" data-endpoint="<endpoint>">
//   "module":    import { redirectImageKitUploads } from "<server>/sdk/upfront.js"; redirectImageKitUploads(endpoint)
import { config, describeError, finish, testImage } from "./report.js";

async function install() {
  if (config.mode === "module") {
    const sdk = await import(config.server + "/sdk/upfront.js");
    return sdk.redirectImageKitUploads(config.endpoint);
  }
  const script = document.createElement("script");
  script.src = config.server + "/sdk/imagekit-redirect.js";
  script.dataset.endpoint = config.endpoint;
  await new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = () => reject(new Error("imagekit-redirect.js did not load"));
    document.head.append(script);
  });
  return null;
}

function xhrUpload(form) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "https://upload.imagekit.io/api/v1/files/upload");
    xhr.onload = () => resolve({ status: xhr.status, body: JSON.parse(xhr.responseText) });
    xhr.onerror = () => resolve({ error: "network error" });
    xhr.send(form);
  });
}

async function run() {
  const installed = await install();
  const { token, expire, signature } = await (await fetch("/auth")).json();
  const form = new FormData();
  form.set("file", await testImage(320, 240), "redirected.png");
  form.set("fileName", "redirected.png");
  form.set("folder", config.folder);
  form.set("useUniqueFileName", "false");
  for (const [key, value] of Object.entries({ publicKey: config.publicKey, token, expire, signature })) {
    form.set(key, String(value));
  }
  return { installed, upload: await xhrUpload(form) };
}

run().then(finish, (e) => finish({ failure: describeError(e) }));

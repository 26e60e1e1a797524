// The browser SDK loaded cross-origin from the server (import() of <server>/sdk/upfront.js), one scenario per
// config.mode. The authenticator asks this page's own origin (the test plays the customer's backend) for
// credentials before every attempt: GET /auth gives v1 {token, expire, signature}, POST /auth a v2 JWT.
import { config, describeError, finish, preview, testImage } from "./report.js";

const authCalls = [];

async function v1Credentials() {
  authCalls.push("v1");
  return (await fetch("/auth")).json();
}

async function jwtCredentials({ uploadPayload, publicKey }) {
  authCalls.push("v2");
  const r = await fetch("/auth", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ uploadPayload, expire: 600, publicKey }),
  });
  return r.json();
}

async function run() {
  const sdk = await import(config.server + "/sdk/upfront.js");
  const progress = [];
  const options = {
    file: await testImage(config.width ?? 640, config.height ?? 480, config.noise ?? false),
    fileName: config.fileName ?? "browser.png",
    publicKey: config.publicKey,
    uploadEndpoint: config.uploadEndpoint ?? config.server,
    authenticator: config.mode === "v2" ? jwtCredentials : v1Credentials,
    folder: config.folder,
    tags: ["browser", "sdk"],
    useUniqueFileName: false,
    responseFields: ["tags"],
    // A progress listener makes the upload a preflighted CORS request; without one it is a simple request.
    onProgress: config.progress === false ? undefined : (e) => progress.push({ loaded: e.loaded, total: e.total }),
  };
  if (config.mode === "badSignature") {
    options.authenticator = async () => ({ ...(await v1Credentials()), signature: "0".repeat(40) });
  }
  if (config.mode === "reusedToken") {
    const fixed = await v1Credentials();
    await sdk.upload({ ...options, authenticator: undefined, ...fixed, fileName: "first.png" });
    options.authenticator = undefined;
    Object.assign(options, fixed);
  }
  if (config.mode === "abort") {
    // The user presses abort while the credentials are being fetched: nothing may be sent after that.
    const controller = new AbortController();
    options.abortSignal = controller.signal;
    options.authenticator = async () => {
      const credentials = await v1Credentials();
      controller.abort(new Error("user pressed abort"));
      return credentials;
    };
  }
  let response;
  try {
    response = await sdk.upload(options);
  } catch (e) {
    return { error: describeError(e), authCalls, progress };
  }
  const transformation = [{ width: 100 }];
  const src = sdk.buildSrc({ urlEndpoint: config.urlEndpoint, src: response.filePath, transformation });
  const pathSrc = sdk.buildSrc({ urlEndpoint: config.urlEndpoint, src: response.filePath, transformation, transformationPosition: "path" });
  return {
    response, authCalls, progress,
    metadata: response.$ResponseMetadata,
    preview: await preview(src),
    pathPreview: await preview(pathSrc),
  };
}

run().then(finish, (e) => finish({ failure: describeError(e) }));

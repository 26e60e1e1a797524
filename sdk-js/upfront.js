/*
 * Upfront browser SDK: a dependency-free ES module, served by every Upfront server at /sdk/upfront.js.
 *
 *   import { upload, buildSrc } from "https://media.example.com/sdk/upfront.js";
 *
 * The call shapes are those of ImageKit's browser SDK (@imagekit/javascript 5), plus two options for upload():
 * uploadEndpoint (an Upfront base URL, or a full upload URL) and authenticator (fresh credentials for every
 * attempt, which is what makes retrying after a network error safe: a one-time token is never sent twice).
 * Types: /sdk/upfront.d.ts.
 */
import "./imagekit-redirect.js";

/** Where this module was served from, minus "sdk/upfront.js": the default upload endpoint. */
const SERVED_FROM = new URL("..", import.meta.url).href;
/** Retries after a network error, each with fresh credentials from the authenticator. */
const MAX_RETRIES = 3;
/** The first retry waits about this long; each further one twice as long (0.5 s, 1 s, 2 s, with jitter). */
const FIRST_BACKOFF_MS = 500;
/** Options that steer the SDK and never go into the form. */
const CLIENT_ONLY = new Set(["file", "xhr", "onProgress", "abortSignal", "uploadEndpoint", "authenticator",
  "publicKey", "token", "signature", "expire"]);
/** JWT claims that are not upload parameters. */
const REGISTERED_CLAIMS = new Set(["iat", "exp", "nbf", "jti", "iss", "sub", "aud"]);

export class ImageKitInvalidRequestError extends Error {
  constructor(message, responseMetadata, body) {
    super(message);
    this.name = "ImageKitInvalidRequestError";
    describeResponse(this, responseMetadata, body);
  }
}

export class ImageKitServerError extends Error {
  constructor(message, responseMetadata, body) {
    super(message);
    this.name = "ImageKitServerError";
    describeResponse(this, responseMetadata, body);
  }
}

export class ImageKitUploadNetworkError extends Error {
  constructor(message) {
    super(message);
    this.name = "ImageKitUploadNetworkError";
    this.status = 0;
  }
}

export class ImageKitAbortError extends Error {
  constructor(message, reason) {
    super(message);
    this.name = "ImageKitAbortError";
    this.reason = reason;
  }
}

/** status, code and help from the server's error body, as fields of the error. */
function describeResponse(error, responseMetadata, body) {
  error.$ResponseMetadata = responseMetadata;
  error.status = responseMetadata ? responseMetadata.statusCode : undefined;
  error.code = body && typeof body.code === "string" ? body.code : undefined;
  error.help = body && typeof body.help === "string" ? body.help : undefined;
}

/**
 * Uploads one file. Resolves with the server's response (plus a non-enumerable $ResponseMetadata); rejects with
 * one of the four error classes above.
 */
export async function upload(options) {
  if (!options) {
    throw new ImageKitInvalidRequestError("Invalid options provided for upload");
  }
  checkOptions(options);
  const signal = options.abortSignal;
  const fields = formFields(options);
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(signal);
    const credentials = options.authenticator
      ? await askAuthenticator(options, fields, attempt)
      : { token: options.token, signature: options.signature, expire: options.expire };
    throwIfAborted(signal);
    const request = buildRequest(options, fields, credentials);
    try {
      return await send(request, options);
    } catch (e) {
      // Only a fresh credential may be sent again: without an authenticator the first one may be spent.
      if (!(e instanceof ImageKitUploadNetworkError) || !options.authenticator || attempt >= MAX_RETRIES) {
        throw e;
      }
    }
    await sleep(backoff(attempt + 1), signal);
  }
}

function checkOptions(options) {
  if (!options.file) {
    throw new ImageKitInvalidRequestError("Missing file parameter for upload");
  }
  if (!options.fileName) {
    throw new ImageKitInvalidRequestError("Missing fileName parameter for upload");
  }
  if (options.authenticator !== undefined && typeof options.authenticator !== "function") {
    throw new ImageKitInvalidRequestError("The provided authenticator is not a function.");
  }
  const t = options.transformation;
  if (t) {
    const keys = Object.keys(t);
    if (!keys.includes("pre") && !keys.includes("post")) {
      throw new ImageKitInvalidRequestError("Invalid transformation parameter. Please include at least pre, post, or both.");
    }
    if (keys.includes("pre") && !t.pre) {
      throw new ImageKitInvalidRequestError("Invalid pre transformation parameter.");
    }
    if (keys.includes("post") && (!Array.isArray(t.post) || t.post.some((p) =>
      (p.type === "abs" && !(p.protocol || p.value)) || (p.type === "transformation" && !p.value)))) {
      throw new ImageKitInvalidRequestError("Invalid post transformation parameter.");
    }
  }
}

/**
 * The upload parameters as form values, in option order, encoded as ImageKit's SDKs encode them (and as a v2
 * token's payload must hold them): arrays of tags and responseFields comma-joined, extensions, customMetadata
 * and transformation as JSON, everything else String(value).
 */
function formFields(options) {
  const fields = {};
  for (const [key, value] of Object.entries(options)) {
    if (CLIENT_ONLY.has(key) || value === undefined || value === null) {
      continue;
    }
    if ((key === "tags" || key === "responseFields") && Array.isArray(value)) {
      fields[key] = value.join(",");
    } else if ((key === "extensions" || key === "customMetadata" || key === "transformation") && typeof value === "object") {
      fields[key] = JSON.stringify(value);
    } else {
      fields[key] = String(value);
    }
  }
  return fields;
}

/** Calls the authenticator for one attempt; what it gets lets a backend sign a v2 token for exactly these fields. */
async function askAuthenticator(options, fields, attempt) {
  let credentials;
  try {
    credentials = await options.authenticator({ uploadPayload: { ...fields }, publicKey: options.publicKey, attempt });
  } catch (e) {
    throw new ImageKitInvalidRequestError("The authenticator failed: " + (e && e.message ? e.message : String(e)));
  }
  if (!credentials || typeof credentials !== "object" || !credentials.token) {
    throw new ImageKitInvalidRequestError("The authenticator must return {token, expire, signature} or {token} holding a JWT.");
  }
  return credentials;
}

/** The URL and form of one attempt: v1 with a signature, v2 with a JWT alone. */
function buildRequest(options, fields, credentials) {
  const { token, signature, expire } = credentials;
  if (!token) {
    throw new ImageKitInvalidRequestError("Missing token for upload. The SDK expects token, signature and expire for authentication.");
  }
  const v2 = signature === undefined && expire === undefined;
  const form = new FormData();
  if (v2) {
    // Send exactly what was signed: the server compares the form with the token's payload field by field.
    const signed = jwtPayload(token);
    for (const [key, value] of Object.entries(signed)) {
      if (!REGISTERED_CLAIMS.has(key) && key !== "file") {
        form.set(key, typeof value === "string" ? value : JSON.stringify(value));
      }
    }
    setFile(form, options, signed.fileName ?? options.fileName);
    form.set("token", token);
    return { url: uploadUrl(options.uploadEndpoint, "v2"), form };
  }
  if (!options.publicKey) {
    throw new ImageKitInvalidRequestError("Missing public key for upload");
  }
  if (!signature) {
    throw new ImageKitInvalidRequestError("Missing signature for upload. The SDK expects token, signature and expire for authentication.");
  }
  if (!expire) {
    throw new ImageKitInvalidRequestError("Missing expire for upload. The SDK expects token, signature and expire for authentication.");
  }
  for (const [key, value] of Object.entries(fields)) {
    form.set(key, value);
  }
  setFile(form, options, options.fileName);
  form.set("publicKey", String(options.publicKey));
  form.set("token", String(token));
  form.set("signature", String(signature));
  form.set("expire", String(expire));
  return { url: uploadUrl(options.uploadEndpoint, "v1"), form };
}

function setFile(form, options, fileName) {
  if (typeof options.file === "string") {
    form.set("file", options.file); // a URL or base64: the server fetches or decodes it
  } else {
    form.set("file", options.file, String(fileName));
  }
}

function jwtPayload(token) {
  const parts = String(token).split(".");
  if (parts.length !== 3) {
    throw new ImageKitInvalidRequestError("The token is neither a v1 token (no signature and expire came with it) nor a JWT.");
  }
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64 + "===".slice((base64.length + 3) % 4)), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    if (payload && typeof payload === "object" && !Array.isArray(payload)) {
      return payload;
    }
  } catch (e) {
    // fall through
  }
  throw new ImageKitInvalidRequestError("The JWT's payload is not a JSON object.");
}

/**
 * The upload URL: a full URL (its path ends with /files/upload) is kept, with /api/v1/ and /api/v2/ switched to
 * the version the credentials need; anything else is an Upfront base URL. Default: the server this module came from.
 */
export function uploadUrl(endpoint, version) {
  const url = new URL(endpoint ?? SERVED_FROM, globalThis.location ? globalThis.location.href : SERVED_FROM);
  if (/\/files\/upload\/?$/.test(url.pathname)) {
    url.pathname = url.pathname.replace(/\/api\/v[12]\/files\/upload(\/?)$/, `/api/${version}/files/upload$1`);
    return url.href;
  }
  url.pathname = url.pathname.replace(/\/*$/, "/") + `api/${version}/files/upload`;
  return url.href;
}

/** One XHR (XHR, unlike fetch, reports upload progress). Network failures reject with ImageKitUploadNetworkError. */
function send({ url, form }, options) {
  const signal = options.abortSignal;
  return new Promise((resolve, reject) => {
    const xhr = options.xhr || new XMLHttpRequest();
    const onAbort = () => {
      xhr.abort();
      reject(new ImageKitAbortError("Upload aborted", signal.reason));
    };
    if (signal) {
      signal.addEventListener("abort", onAbort);
      xhr.addEventListener("loadend", () => signal.removeEventListener("abort", onAbort));
    }
    if (options.onProgress) {
      xhr.upload.onprogress = (event) => options.onProgress(event);
    }
    xhr.open("POST", url);
    xhr.onerror = () => reject(new ImageKitUploadNetworkError("Request to ImageKit upload endpoint failed due to network error"));
    xhr.ontimeout = xhr.onerror;
    xhr.onload = () => {
      const metadata = responseMetadata(xhr);
      let body;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (e) {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body === "object") {
        resolve(Object.defineProperty({ ...body }, "$ResponseMetadata", { value: metadata, enumerable: false }));
      } else if (xhr.status >= 400 && xhr.status < 500) {
        reject(new ImageKitInvalidRequestError(body?.message ?? "Invalid request. Please check the parameters.", metadata, body));
      } else {
        reject(new ImageKitServerError(body?.message ?? "Server error occurred while uploading the file. This is rare and usually temporary.", metadata, body));
      }
    };
    xhr.send(form);
  });
}

function responseMetadata(xhr) {
  const headers = {};
  for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return { statusCode: xhr.status, headers, requestId: headers["x-request-id"] };
}

function throwIfAborted(signal) {
  if (signal && signal.aborted) {
    throw new ImageKitAbortError("Upload aborted", signal.reason);
  }
}

/** Exponential backoff with ±20 % jitter: retry 1 waits 0.4-0.6 s, retry 2 0.8-1.2 s, retry 3 1.6-2.4 s. */
function backoff(retry) {
  return FIRST_BACKOFF_MS * 2 ** (retry - 1) * (0.8 + 0.4 * Math.random());
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(new ImageKitAbortError("Upload aborted", signal.reason));
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Delivery URLs: the same output as @imagekit/javascript 5's buildSrc for the same input, quirks included
// (repeated slashes collapse, ?tr= is appended unencoded after other query parameters, absolute src URLs always
// take the transformation in the query).

const TRANSFORM_KEYS = {
  width: "w", height: "h", aspectRatio: "ar", background: "bg", border: "b", crop: "c", cropMode: "cm", dpr: "dpr",
  focus: "fo", quality: "q", x: "x", xCenter: "xc", y: "y", yCenter: "yc", format: "f", videoCodec: "vc",
  audioCodec: "ac", radius: "r", rotation: "rt", blur: "bl", named: "n", defaultImage: "di", flip: "fl",
  original: "orig", startOffset: "so", endOffset: "eo", duration: "du", streamingResolutions: "sr",
  grayscale: "e-grayscale", aiUpscale: "e-upscale", aiRetouch: "e-retouch", aiVariation: "e-genvar",
  aiDropShadow: "e-dropshadow", aiChangeBackground: "e-changebg", aiEdit: "e-edit", aiRemoveBackground: "e-bgremove",
  aiRemoveBackgroundExternal: "e-removedotbg", contrastStretch: "e-contrast", shadow: "e-shadow", sharpen: "e-sharpen",
  unsharpMask: "e-usm", gradient: "e-gradient", colorReplace: "cr", distort: "e-distort", colorize: "e-colorize",
  progressive: "pr", lossless: "lo", colorProfile: "cp", metadata: "md", density: "dn", opacity: "o", trim: "t",
  zoom: "z", page: "pg", layerMode: "lm", fontSize: "fs", fontFamily: "ff", fontColor: "co", innerAlignment: "ia",
  padding: "pa", alpha: "al", typography: "tg", lineHeight: "lh", fontOutline: "fol", fontShadow: "fsh", raw: "raw",
};
/** Effects written as the bare key when true. */
const FLAG_EFFECTS = ["e-grayscale", "e-contrast", "e-removedotbg", "e-bgremove", "e-upscale", "e-retouch", "e-genvar"];
/** Effects whose value is optional: bare key when true or empty. */
const OPTIONAL_VALUE_EFFECTS = ["e-sharpen", "e-shadow", "e-gradient", "e-usm", "e-dropshadow"];
const SIMPLE_OVERLAY_PATH = /^[a-zA-Z0-9-._/ ]*$/;
const SIMPLE_OVERLAY_TEXT = /^[a-zA-Z0-9-._ ]*$/;

/** A delivery URL for {src, urlEndpoint, transformation, transformationPosition, queryParameters}. */
export function buildSrc(opts) {
  const urlEndpoint = opts.urlEndpoint || "";
  const src = opts.src || "";
  const inQuery = (opts.transformationPosition || "query") === "query";
  if (!src) {
    return "";
  }
  const absolute = src.startsWith("http://") || src.startsWith("https://");
  let url;
  let endpointPath;
  try {
    if (absolute) {
      url = new URL(src);
    } else {
      endpointPath = new URL(urlEndpoint).pathname;
      url = new URL(pathJoin([urlEndpoint.replace(endpointPath, ""), src]));
    }
  } catch (e) {
    console.error(e);
    return "";
  }
  for (const name in opts.queryParameters) {
    url.searchParams.append(name, String(opts.queryParameters[name]));
  }
  const tr = buildTransformationString(opts.transformation);
  const trInQuery = tr && (inQuery || absolute);
  if (tr && !trInQuery) {
    url.pathname = pathJoin(["tr:" + tr, url.pathname]);
  }
  url.pathname = endpointPath ? pathJoin([endpointPath, url.pathname]) : pathJoin([url.pathname]);
  if (trInQuery) {
    return url.href + (url.searchParams.toString() !== "" ? "&" : "?") + "tr=" + tr;
  }
  return url.href;
}

/** The transformation string: steps joined with ":", parameters with ",", key and value with "-". */
export function buildTransformationString(transformation) {
  if (!Array.isArray(transformation)) {
    return "";
  }
  const steps = [];
  for (const step of transformation) {
    const parts = [];
    for (const key in step) {
      let value = step[key];
      if (value === undefined || value === null) {
        continue;
      }
      if (key === "overlay" && typeof value === "object") {
        const overlay = overlayString(value);
        if (overlay && overlay.trim() !== "") {
          parts.push(overlay);
        }
        continue;
      }
      const name = TRANSFORM_KEYS[key] || TRANSFORM_KEYS[key.toLowerCase()] || key;
      if (name === "") {
        continue;
      }
      if (FLAG_EFFECTS.includes(name)) {
        if (value === true || value === "-" || value === "true") {
          parts.push(name);
        }
      } else if (OPTIONAL_VALUE_EFFECTS.includes(name) && (value.toString().trim() === "" || value === true || value === "true")) {
        parts.push(name);
      } else if (key === "raw") {
        parts.push(value);
      } else {
        if (name === "di" || name === "ff") {
          value = trimSlashes(value || "").replace(/\//g, "@@");
        }
        if (name === "sr" && Array.isArray(value)) {
          value = value.join("_");
        }
        if (name === "t" && value.toString().trim() === "") {
          value = "true";
        }
        parts.push(name + "-" + value);
      }
    }
    if (parts.length) {
      steps.push(parts.join(","));
    }
  }
  return steps.join(":");
}

function overlayString(overlay) {
  const { type, layerMode, position = {}, timing = {}, transformation = [] } = overlay || {};
  const encoding = overlay.encoding || "auto";
  const entries = [];
  switch (type) {
    case "text":
      if (!overlay.text) {
        return undefined;
      }
      entries.push("l-text", overlayText(overlay.text, encoding));
      break;
    case "image":
    case "video":
    case "subtitle":
      if (!overlay.input) {
        return undefined;
      }
      entries.push(type === "subtitle" ? "l-subtitles" : "l-" + type, overlayPath(overlay.input, encoding));
      break;
    case "solidColor":
      if (!overlay.color) {
        return undefined;
      }
      entries.push("l-image", "i-ik_canvas", "bg-" + overlay.color);
      break;
    default:
      if (!type) {
        return undefined;
      }
  }
  if (layerMode) {
    entries.push("lm-" + layerMode);
  }
  const prefixed = [["lx", position.x], ["ly", position.y], ["lxc", position.xCenter], ["lyc", position.yCenter],
    ["lap", position.anchorPoint], ["lfo", position.focus], ["lso", timing.start], ["leo", timing.end],
    ["ldu", timing.duration]];
  for (const [prefix, value] of prefixed) {
    if (value) {
      entries.push(prefix + "-" + value);
    }
  }
  const nested = buildTransformationString(transformation);
  if (nested && nested.trim() !== "") {
    entries.push(nested);
  }
  entries.push("l-end");
  return entries.join(",");
}

function overlayPath(path, encoding) {
  const trimmed = trimSlashes(path);
  if (encoding === "plain" || (encoding !== "base64" && SIMPLE_OVERLAY_PATH.test(trimmed))) {
    return "i-" + trimmed.replace(/\//g, "@@");
  }
  return "ie-" + encodeURIComponent(base64Utf8(trimmed));
}

function overlayText(text, encoding) {
  if (encoding === "plain" || (encoding !== "base64" && SIMPLE_OVERLAY_TEXT.test(text))) {
    return "i-" + encodeURIComponent(text);
  }
  return "ie-" + encodeURIComponent(base64Utf8(text));
}

function base64Utf8(text) {
  return btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCodePoint(b)).join(""));
}

function trimSlashes(text) {
  let s = text;
  if (typeof s === "string" && s[0] === "/") {
    s = s.slice(1);
  }
  if (typeof s === "string" && s[s.length - 1] === "/") {
    s = s.substring(0, s.length - 1);
  }
  return s;
}

/** Joins with "/" and collapses runs of "/" (the scheme's "//" too: the URL parser restores it). */
function pathJoin(parts) {
  return parts.join("/").replace(/\/+/g, "/");
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Sends uploads that ImageKit's own browser clients address to https://upload.imagekit.io/api/v1|v2/files/upload
 * to {@code endpoint} instead (default: the server this module came from). No other request is touched. Returns
 * the base URL in use.
 */
export function redirectImageKitUploads(endpoint) {
  return globalThis.__upfrontImageKitRedirect.install(endpoint ?? SERVED_FROM);
}

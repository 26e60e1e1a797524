/*
 * Upfront: send ImageKit's browser uploads to an Upfront server.
 *
 * ImageKit's browser clients (imagekit-javascript 1-4, @imagekit/javascript 5 and the React, Vue and Next
 * wrappers built on them) hard-code https://upload.imagekit.io/api/v1/files/upload in xhr.open() and offer no
 * option to change it. Include this classic script before the app bundle:
 *
 *   <script src="https://media.example.com/sdk/imagekit-redirect.js"></script>
 *
 * and exactly those two URLs (v1 and v2 upload) are rewritten to the server that served the script, or to the
 * base URL in its data-endpoint attribute. XMLHttpRequest.prototype.open and fetch are wrapped; every other
 * request passes through untouched. /sdk/upfront.js exposes the same as redirectImageKitUploads(endpoint).
 */
(function () {
  "use strict";

  var IMAGEKIT_UPLOAD = /^https:\/\/upload\.imagekit\.io\/api\/(v1|v2)\/files\/upload(\?[^#]*)?$/;
  var state = globalThis.__upfrontImageKitRedirect;
  if (state) {
    return; // loaded twice (the script and the module): one set of wrappers is enough
  }
  state = globalThis.__upfrontImageKitRedirect = { base: null, install: install };

  /** The Upfront URL for an ImageKit upload URL, or null for any other URL. */
  function rewrite(url) {
    if (state.base === null) {
      return null;
    }
    var match = IMAGEKIT_UPLOAD.exec(String(url));
    return match ? state.base + "/api/" + match[1] + "/files/upload" + (match[2] || "") : null;
  }

  /** Points the redirect at {@code endpoint} (an Upfront base URL); wraps open() and fetch() on first use. */
  function install(endpoint) {
    var base = new URL(String(endpoint), globalThis.location ? globalThis.location.href : undefined).href;
    var first = state.base === null;
    state.base = base.replace(/[?#].*$/, "").replace(/\/+$/, "");
    if (!first) {
      return state.base;
    }
    if (typeof XMLHttpRequest === "function") {
      var open = XMLHttpRequest.prototype.open;
      XMLHttpRequest.prototype.open = function (method, url) {
        var target = rewrite(url);
        if (target === null) {
          return open.apply(this, arguments);
        }
        var args = Array.prototype.slice.call(arguments);
        args[1] = target;
        return open.apply(this, args);
      };
    }
    if (typeof globalThis.fetch === "function") {
      var originalFetch = globalThis.fetch;
      globalThis.fetch = function (input, init) {
        var isRequest = typeof Request === "function" && input instanceof Request;
        var target = rewrite(isRequest ? input.url : input);
        if (target === null) {
          return originalFetch.apply(this, arguments);
        }
        if (!isRequest) {
          return originalFetch.call(this, target, init);
        }
        // A Request's body is a stream, and Chromium sends streamed bodies over HTTP/2 only: re-send it as a Blob.
        var request = input;
        var self = this;
        var hasBody = request.method !== "GET" && request.method !== "HEAD";
        return (hasBody ? request.blob() : Promise.resolve(undefined)).then(function (body) {
          var copy = { method: request.method, headers: request.headers, body: body, mode: request.mode,
            credentials: request.credentials, redirect: request.redirect, referrerPolicy: request.referrerPolicy,
            signal: request.signal };
          return originalFetch.call(self, target, Object.assign(copy, init));
        });
      };
    }
    return state.base;
  }

  // As a classic script: install now, before the app bundle runs. (Imported by upfront.js as a module, there is
  // no currentScript and nothing is installed until redirectImageKitUploads() is called.)
  var script = typeof document !== "undefined" ? document.currentScript : null;
  if (script && script.src) {
    install(script.getAttribute("data-endpoint") || new URL("..", script.src).href);
  }
})();

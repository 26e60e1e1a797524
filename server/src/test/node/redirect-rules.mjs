// What imagekit-redirect.js rewrites, and what it leaves alone, checked on many URLs without sending anything: the
// browser's XMLHttpRequest.prototype.open and fetch are replaced by recorders before the script runs, so each call
// shows the URL the script passed on. Run by ImageKitRedirectRulesTest with UPFRONT_REDIRECT_JS (the script's path).
// Prints one JSON line: {cases: [{url, xhr, fetch, request}]} (the URL that reached open(), fetch(url), fetch(Request)).
import { readFileSync } from "node:fs";
import vm from "node:vm";

const seen = [];
class RecordingXhr { open(method, url) { seen.push(String(url)); } }
const recordingFetch = (input) => { seen.push(typeof input === "string" ? input : input.url); return Promise.resolve(new Response("")); };
const context = vm.createContext({ XMLHttpRequest: RecordingXhr, fetch: recordingFetch, URL, Request, Response, Promise, Object, String, Array });
context.globalThis = context;
vm.runInContext(readFileSync(process.env.UPFRONT_REDIRECT_JS, "utf8"), context);
// No document, so nothing is installed until install() is called, as when upfront.js imports the script.
const base = context.__upfrontImageKitRedirect.install("http://127.0.0.1:8080/some/path/");

const urls = JSON.parse(process.env.UPFRONT_URLS);
const cases = [];
for (const url of urls) {
  seen.length = 0;
  new context.XMLHttpRequest().open("POST", url);
  await context.fetch(url, { method: "POST" });
  await context.fetch(new Request(url, { method: "POST", body: "x" }));
  cases.push({ url, xhr: seen[0], fetch: seen[1], request: seen[2] });
}
process.stdout.write(JSON.stringify({ base, cases }) + "\n");

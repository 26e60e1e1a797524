// Runs the buildSrc cases of conformance/buildSrc.json through @imagekit/javascript 5's buildSrc and through the
// browser SDK's (sdk-js/upfront.js, which runs in Node as it is). Run by dev.upfront.sdk.BuildSrcConformanceTest.
//
//   UPFRONT_CONFORMANCE=../../../../conformance/buildSrc.json UPFRONT_SDK_JS=../../../../sdk-js/upfront.js node buildsrc-conformance.mjs
//
// Prints one JSON line: {js5Version, results: [{id, js5, upfront}]}.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { buildSrc as js5BuildSrc } from "@imagekit/javascript";

const cases = JSON.parse(readFileSync(process.env.UPFRONT_CONFORMANCE, "utf8")).cases;
const upfront = await import(pathToFileURL(process.env.UPFRONT_SDK_JS).href);
const results = cases.map(({ id, options }) => ({
  id,
  // Each gets its own copy: JS5's buildSrc writes defaults into the object it is given.
  js5: js5BuildSrc(structuredClone(options)),
  upfront: upfront.buildSrc(structuredClone(options)),
}));
const js5Version = JSON.parse(readFileSync(new URL("./node_modules/@imagekit/javascript/package.json", import.meta.url), "utf8")).version;
process.stdout.write(JSON.stringify({ js5Version, results }) + "\n");

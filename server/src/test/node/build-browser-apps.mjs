// Bundles the test pages' apps (browser/*-app.*) with esbuild into UPFRONT_BUNDLE_DIR, from the npm packages
// pinned in package.json: @imagekit/javascript 5, imagekitio-react 4 (React 18), imagekitio-vue 3 (Vue 3),
// imagekit-javascript 1-4 (legacy-app), @imagekit/react 5, @imagekit/vue 4 and @imagekit/next 2 (wrappers-app).
// Skips a bundle that is newer than every file in browser/ and package-lock.json. Prints one JSON line: {built: [...], upToDate: [...]}.
import { readdirSync, statSync } from "node:fs";
import { build } from "esbuild";

const outdir = process.env.UPFRONT_BUNDLE_DIR;
if (!outdir) throw new Error("UPFRONT_BUNDLE_DIR is not set");
const apps = ["js5-app.js", "react-app.jsx", "vue-app.js", "legacy-app.js", "wrappers-app.js"];
const mtime = (p) => { try { return statSync(p).mtimeMs; } catch { return 0; } };
const browserDir = new URL("./browser/", import.meta.url);
// A bundle is stale when any source it may import, or the installed packages, changed after it was built.
const sourcesTime = Math.max(mtime(new URL("./package-lock.json", import.meta.url)),
  ...readdirSync(browserDir).map((f) => mtime(new URL(f, browserDir))));
const result = { built: [], upToDate: [] };
for (const app of apps) {
  const source = new URL(`./browser/${app}`, import.meta.url).pathname;
  const target = `${outdir}/${app.replace(/\.jsx$/, ".js")}`;
  if (mtime(target) > sourcesTime) {
    result.upToDate.push(app);
    continue;
  }
  await build({
    entryPoints: [source], outfile: target, bundle: true, format: "esm", platform: "browser", target: "es2020",
    minify: true, jsx: "automatic", logLevel: "error",
    // @imagekit/next's entry imports next/image for its <Image>; there is no Next.js runtime on a plain page.
    alias: { "next/image": new URL("./browser/next-image-stub.js", import.meta.url).pathname },
    define: { "process.env.NODE_ENV": '"production"', __VUE_OPTIONS_API__: "true", __VUE_PROD_DEVTOOLS__: "false",
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false" },
  });
  result.built.push(app);
}
process.stdout.write(JSON.stringify(result) + "\n");

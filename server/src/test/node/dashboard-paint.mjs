// The folder page's first paint, for dev.upfront.bench.DashboardBenchmark (bench/dashboard.sh): signs in once, then
// loads /dashboard?path=<folder> in fresh tabs (warm-up loads first) and reads the page's own marks; then the same for
// a deep page (UPFRONT_DEEP files in, newest first) addressed by key (after=<createdAt>, what Next gives) and by
// offset (skip=UPFRONT_DEEP, what Next gave before), measured the same way in the same run.
// Env: UPFRONT_CHROMIUM, UPFRONT_BASE, UPFRONT_PRIVATE_KEY, UPFRONT_FOLDER, UPFRONT_RUNS, UPFRONT_WARMUP, UPFRONT_DEEP.
// Prints one JSON line: {painted, deepByKey, deepByOffset: [ms...], firstContentfulPaint: [ms...], gridItems} or {failure}.
import { env, launchChromium } from "./dashboard-chromium.mjs";

const base = env("UPFRONT_BASE");
const browser = await launchChromium(60000);
const out = { painted: [], firstContentfulPaint: [], deepByKey: [], deepByOffset: [] };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const signIn = await context.newPage();
  await signIn.goto(base + "/dashboard");
  await signIn.fill("#secret", env("UPFRONT_PRIVATE_KEY"));
  await signIn.click("#sign-in button[type=submit]");
  await signIn.waitForSelector("body[data-loaded]");
  await signIn.close();
  const url = `${base}/dashboard?path=${encodeURIComponent(env("UPFRONT_FOLDER"))}`;
  const warmup = Number(env("UPFRONT_WARMUP"));
  const runs = Number(env("UPFRONT_RUNS"));
  const deep = Number(env("UPFRONT_DEEP"));
  const measure = async (address, into) => {
    for (let i = 0; i < warmup + runs; i++) {
      const m = await load(address);
      if (i >= warmup) into.push(m.painted);
    }
  };
  // The key of the file at the deep position, from the media API with the session (set-up, not timed).
  const probe = await context.newPage();
  await probe.goto(url);
  await probe.waitForSelector("body[data-loaded]");
  const deepKey = await probe.evaluate(async ({ folder, deep }) => {
    const q = new URLSearchParams({ type: "file", path: folder, sort: "DESC_CREATED", skip: String(deep), limit: "1" });
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
    const files = await (await fetch(`/v1/files?${q}`, { headers: { "X-CSRF-Token": csrf } })).json();
    return files[0].createdAt;
  }, { folder: env("UPFRONT_FOLDER"), deep });
  await probe.close();
  const pageNumber = Math.floor(deep / 48) + 1;
  await measure(`${url}&after=${encodeURIComponent(deepKey)}&skip=0&page=${pageNumber}`, out.deepByKey);
  await measure(`${url}&skip=${deep}&page=${pageNumber}`, out.deepByOffset);
  for (let i = 0; i < warmup + runs; i++) {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName("grid-painted").length > 0, null, { timeout: 60000 });
    const m = await page.evaluate(() => ({
      painted: performance.getEntriesByName("grid-painted")[0].startTime,
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
      items: document.querySelectorAll("#grid li").length,
    }));
    if (m.items === 0) throw new Error("the folder page shows no files");
    if (i >= warmup) {
      out.painted.push(m.painted);
      out.firstContentfulPaint.push(m.fcp);
      out.gridItems = m.items;
    }
    await page.close();
  }

  async function load(address) {
    const page = await context.newPage();
    await page.goto(address);
    await page.waitForFunction(() => performance.getEntriesByName("grid-painted").length > 0, null, { timeout: 60000 });
    const m = await page.evaluate(() => ({ painted: performance.getEntriesByName("grid-painted")[0].startTime,
      items: document.querySelectorAll("#grid li").length }));
    if (m.items === 0) throw new Error(`${address} shows no files`);
    await page.close();
    return m;
  }
} catch (e) {
  out.failure = String(e?.stack ?? e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");

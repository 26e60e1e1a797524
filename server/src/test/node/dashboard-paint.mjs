// The folder page's first paint, for dev.upfront.bench.DashboardBenchmark (bench/dashboard.sh): signs in once, then
// loads /dashboard?path=<folder> in fresh tabs (warm-up loads first) and reads the page's own marks.
// Env: UPFRONT_CHROMIUM, UPFRONT_BASE, UPFRONT_PRIVATE_KEY, UPFRONT_FOLDER, UPFRONT_RUNS, UPFRONT_WARMUP.
// Prints one JSON line: {painted: [ms...], firstContentfulPaint: [ms...], gridItems} or {failure}.
import { env, launchChromium } from "./dashboard-chromium.mjs";

const base = env("UPFRONT_BASE");
const browser = await launchChromium(60000);
const out = { painted: [], firstContentfulPaint: [] };
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
} catch (e) {
  out.failure = String(e?.stack ?? e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");

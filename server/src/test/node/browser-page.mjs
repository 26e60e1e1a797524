// Opens one test page in Chromium (the machine's own, never a downloaded one) with playwright-core and prints
// what the page reported. Run by dev.upfront.testing.Chromium (BrowserSdkTest).
//
//   UPFRONT_CHROMIUM=/usr/bin/chromium UPFRONT_PAGE_URL=http://127.0.0.1:1234/sdk-upload.html node browser-page.mjs
//
// Optional: UPFRONT_UPLOAD_FILE (a path: set on the page's <input type=file>, as a user picking a file would),
// UPFRONT_CLICK_SELECTOR (an element clicked after that, as a user pressing a submit button would),
// UPFRONT_TIMEOUT_MS (default 60000). The page sets window.__upfront = {done: true, ...} when it has finished;
// or, for a page that knows nothing of tests (the examples), UPFRONT_DONE_SELECTOR names the element that shows
// it has finished, and the report lists every [data-state] element: its data attributes and its images' sizes.
// Prints one JSON line: {report, requests: [{method, url}], console: [..], pageErrors: [..], playwright, browser}.
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

function env(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === "") throw new Error(`environment variable ${name} is not set`);
  return value;
}

const timeout = Number(env("UPFRONT_TIMEOUT_MS", "60000"));
const browser = await chromium.launch({ executablePath: env("UPFRONT_CHROMIUM"), args: ARGS, headless: true, timeout });
const out = { requests: [], console: [], pageErrors: [] };
try {
  out.browser = browser.version();
  out.playwright = JSON.parse(readFileSync(new URL("./node_modules/playwright-core/package.json", import.meta.url), "utf8")).version;
  const page = await browser.newPage();
  page.on("request", (r) => out.requests.push({ method: r.method(), url: r.url() }));
  page.on("console", (m) => out.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => out.pageErrors.push(String(e?.stack ?? e)));
  await page.goto(env("UPFRONT_PAGE_URL"), { timeout });
  if (process.env.UPFRONT_UPLOAD_FILE) {
    await page.setInputFiles("input[type=file]", process.env.UPFRONT_UPLOAD_FILE, { timeout });
  }
  if (process.env.UPFRONT_CLICK_SELECTOR) {
    await page.click(process.env.UPFRONT_CLICK_SELECTOR, { timeout });
  }
  if (process.env.UPFRONT_DONE_SELECTOR) {
    await page.waitForSelector(process.env.UPFRONT_DONE_SELECTOR, { timeout });
    out.report = await page.evaluate(() => ({
      done: true,
      elements: [...document.querySelectorAll("[data-state]")].map((e) => ({
        ...e.dataset, text: e.textContent,
        images: [...e.querySelectorAll("img")].map((i) => ({ src: i.currentSrc, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight })),
      })),
    }));
  } else {
    await page.waitForFunction(() => window.__upfront && window.__upfront.done, null, { timeout });
    out.report = await page.evaluate(() => window.__upfront);
  }
} catch (e) {
  out.failure = String(e?.stack ?? e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");

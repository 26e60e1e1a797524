// One signed-in session of the dashboard in Chromium (the machine's own), driven like a user would: run by
// dev.upfront.dashboard.DashboardBrowserTest, which seeds the library and checks the server's state afterwards.
// Env: UPFRONT_CHROMIUM, UPFRONT_BASE (server URL), UPFRONT_PRIVATE_KEY, UPFRONT_UPLOADS (two paths, comma-separated),
// UPFRONT_TOO_LARGE (a path over the server's size limit), optional UPFRONT_SCREENSHOT_DIR, UPFRONT_TIMEOUT_MS.
// Prints one JSON line: {steps: {...}, console, pageErrors} or {failure, ...}.
import { chromium } from "playwright-core";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
};
const timeout = Number(process.env.UPFRONT_TIMEOUT_MS ?? "60000");
const base = env("UPFRONT_BASE");
const browser = await chromium.launch({ executablePath: env("UPFRONT_CHROMIUM"), args: ARGS, headless: true, timeout });
const out = { steps: {}, console: [], pageErrors: [], requests: [] };
const steps = out.steps;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(timeout);
  page.on("console", (m) => out.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => out.pageErrors.push(String(e?.stack ?? e)));
  page.on("request", (r) => out.requests.push(r.url()));
  const loaded = async () => Number(await page.locator("body").getAttribute("data-loaded") ?? 0);
  const waitBrowse = async (after) => page.waitForFunction((t) => Number(document.body.dataset.loaded ?? 0) > t, after);

  // Sign in: a wrong key first.
  await page.goto(base + "/");
  steps.signInUrl = page.url();
  await page.fill("#secret", "private_wrong_key");
  await page.click("#sign-in button[type=submit]");
  const error = page.locator("#sign-in-error");
  await error.waitFor();
  steps.refused = { code: await error.getAttribute("data-code"), text: await error.textContent() };
  await page.fill("#secret", env("UPFRONT_PRIVATE_KEY"));
  await page.click("#sign-in button[type=submit]");
  await page.waitForSelector("body[data-loaded]");
  steps.signedIn = await page.locator(".who").textContent();

  // Browse into /photos: thumbnails load.
  let t = await loaded();
  await page.getByRole("button", { name: "📁 photos" }).click();
  await waitBrowse(t);
  await page.waitForFunction(() => [...document.querySelectorAll("#grid img")].every((i) => i.complete && i.naturalWidth > 0)
    && document.querySelectorAll("#grid img").length > 0);
  steps.browse = await page.evaluate(() => ({
    crumbs: [...document.querySelectorAll("#crumbs li")].map((l) => l.textContent),
    items: [...document.querySelectorAll("#grid li")].map((li) => ({ name: li.dataset.name,
      images: [...li.querySelectorAll("img")].map((i) => ({ src: i.currentSrc, loading: i.loading, naturalWidth: i.naturalWidth })) })),
  }));

  // Upload two files with the picker.
  t = await loaded();
  await page.setInputFiles("#picker", env("UPFRONT_UPLOADS").split(","));
  await page.waitForFunction(() => document.querySelectorAll("#uploads li[data-state=done]").length === 2);
  await waitBrowse(t);
  steps.uploads = await page.evaluate(() => ({
    rows: [...document.querySelectorAll("#uploads li")].map((li) => ({ ...li.dataset, progress: li.querySelector("progress").value })),
    grid: [...document.querySelectorAll("#grid li")].map((li) => li.dataset.name),
  }));
  if (process.env.UPFRONT_SCREENSHOT_DIR) {
    await page.screenshot({ path: process.env.UPFRONT_SCREENSHOT_DIR + "/grid-1280.png", fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: process.env.UPFRONT_SCREENSHOT_DIR + "/grid-390.png", fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  // One failure: too large.
  await page.setInputFiles("#picker", env("UPFRONT_TOO_LARGE"));
  const failed = page.locator("#uploads li[data-state=error]");
  await failed.waitFor();
  steps.failure = { ...(await failed.evaluate((li) => ({ ...li.dataset }))), text: await failed.locator(".message").textContent() };

  // A file's tags, edited and still there after a reload; another file's first version restored.
  const dialog = page.locator("#file");
  const renders = async () => Number(await dialog.getAttribute("data-renders") ?? 0);
  const openFile = async (name) => {
    const before = await renders();
    await page.getByRole("button", { name: `Open ${name}` }).click();
    await page.waitForFunction((n) => Number(document.getElementById("file").dataset.renders ?? 0) > n, before);
  };
  const tagged = env("UPFRONT_UPLOADS").split(",")[0].split("/").pop();
  await openFile(tagged);
  let r = await renders();
  await page.fill("#tags-input", "red, blue");
  await page.getByRole("button", { name: "Save tags" }).click();
  await page.waitForFunction((n) => Number(document.getElementById("file").dataset.renders) > n, r);
  await page.reload();
  await page.waitForSelector("body[data-loaded]");
  t = await loaded();
  await page.getByRole("button", { name: "📁 photos" }).click();
  await waitBrowse(t);
  await openFile(tagged);
  steps.tagsAfterReload = await page.inputValue("#tags-input");
  await page.getByRole("button", { name: "Close" }).click();
  await openFile("seed.png");
  // The transformation builder: its URL and the live preview follow the inputs.
  await page.getByLabel("Width").fill("100");
  await page.getByLabel("Rotation").selectOption("90");
  await page.waitForFunction(() => {
    const img = document.getElementById("preview-img");
    return img.src.includes("tr:w-100,rt-90") && img.complete && img.naturalWidth > 0;
  });
  steps.builder = await page.evaluate(() => ({ url: document.getElementById("built-url").value,
    naturalWidth: document.getElementById("preview-img").naturalWidth, naturalHeight: document.getElementById("preview-img").naturalHeight }));
  steps.versionsBefore = await page.locator("#versions li").allTextContents();
  r = await renders();
  await page.getByRole("button", { name: "Restore Version 1" }).click();
  await page.waitForFunction((n) => Number(document.getElementById("file").dataset.renders) > n, r);
  steps.versionsAfter = await page.locator("#versions li").allTextContents();
  await page.getByRole("button", { name: "Close" }).click();

  // Delete b.png, with the confirmation step.
  await openFile(env("UPFRONT_UPLOADS").split(",")[1].split("/").pop());
  steps.confirmHiddenBefore = await page.locator("#delete-confirm").isHidden();
  await page.click("#delete");
  t = await loaded();
  await page.click("#delete-confirm");
  await waitBrowse(t);
  steps.afterDelete = await page.evaluate(() => ({
    dialogOpen: document.getElementById("file").open,
    grid: [...document.querySelectorAll("#grid li")].map((li) => li.dataset.name),
  }));

  // Folders: create one here, open it, delete it after confirmation.
  t = await loaded();
  await page.fill("#new-folder-name", "albums");
  await page.getByRole("button", { name: "Create folder" }).click();
  await waitBrowse(t);
  await page.getByRole("button", { name: "📁 albums" }).waitFor();
  t = await loaded();
  await page.getByRole("button", { name: "📁 albums" }).click();
  await waitBrowse(t);
  steps.inNewFolder = await page.locator("#crumbs li").allTextContents();
  await page.click("#delete-folder");
  t = await loaded();
  await page.click("#delete-folder-confirm");
  await waitBrowse(t);
  steps.afterFolderDelete = { crumbs: await page.locator("#crumbs li").allTextContents(),
    folders: await page.locator("#folders li").allTextContents(), error: await page.locator("#folder-error").textContent() };

  // Keyboard: the first control is reachable by Tab and shows a focus outline.
  await page.keyboard.press("Tab");
  steps.focus = await page.evaluate(() => ({ tag: document.activeElement.tagName,
    outline: getComputedStyle(document.activeElement).outlineStyle }));

  // Sign out: back to the sign-in form, and the page stays signed out.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForSelector("#sign-in");
  await page.goto(base + "/dashboard");
  steps.afterSignOut = await page.locator("#sign-in").count();
  steps.done = true;
} catch (e) {
  out.failure = String(e?.stack ?? e);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out) + "\n");

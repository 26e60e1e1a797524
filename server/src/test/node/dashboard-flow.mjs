// One signed-in session of the dashboard in Chromium (the machine's own), driven like a user would: run by
// dev.upfront.dashboard.DashboardBrowserTest, which seeds the library and checks the server's state afterwards.
// Env: UPFRONT_CHROMIUM, UPFRONT_BASE (server URL), UPFRONT_PRIVATE_KEY, UPFRONT_UPLOADS (three paths, comma-separated),
// UPFRONT_TOO_LARGE (a path over the server's size limit), UPFRONT_SIGNED_SECONDS (the signed URL's expiry),
// optional UPFRONT_SCREENSHOT_DIR (screenshots at 1280 and 390 px, light and dark), UPFRONT_TIMEOUT_MS.
// Prints one JSON line: {steps: {...}, console, pageErrors} or {failure, ...}.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { env, launchChromium } from "./dashboard-chromium.mjs";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const timeout = Number(process.env.UPFRONT_TIMEOUT_MS ?? "60000");
const base = env("UPFRONT_BASE");
const browser = await launchChromium(timeout);
const out = { steps: {}, console: [], pageErrors: [], requests: [] };
const steps = out.steps;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(timeout);
  page.on("console", (m) => out.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => out.pageErrors.push(String(e?.stack ?? e)));
  page.on("request", (r) => out.requests.push(r.url()));
  const shots = process.env.UPFRONT_SCREENSHOT_DIR;
  // Screenshots of what is on screen now at both widths, light then dark; back to 1280 px, light.
  const screenshot = async (name) => {
    if (!shots) return;
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [[1280, 900], [390, 844]]) {
        await page.setViewportSize({ width, height });
        // The whole page, or with a modal dialog open what the screen shows (the page behind it is inert).
        const modal = await page.evaluate(() => Boolean(document.querySelector("dialog[open]")));
        await page.screenshot({ path: `${shots}/${name}-${width}-${scheme}.png`, fullPage: !modal });
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
  };
  // axe-core (pinned npm package) from disk, no request: the WCAG 2 A/AA violations on screen now.
  const audit = async (name) => {
    // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') rightly refuses inline scripts.
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(`${await readFile(axePath, "utf8")}\n;true`);
    const found = [];
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
      for (const v of result.violations) {
        found.push({ page: name, scheme, id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) });
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    (steps.axe ??= []).push(...found);
  };
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
  await screenshot("sign-in-refused");
  await audit("sign-in");
  await page.fill("#secret", env("UPFRONT_PRIVATE_KEY"));
  await page.click("#sign-in button[type=submit]");
  await page.waitForSelector("body[data-loaded]");
  steps.signedIn = await page.locator(".who").textContent();
  steps.root = await page.evaluate(() => ({ grid: [...document.querySelectorAll("#grid li")].map((li) => li.dataset.name),
    folders: [...document.querySelectorAll("#folders li")].map((li) => li.textContent) }));

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

  // Upload three files at once with the picker: each its progress bar, then all three in the grid with thumbnails.
  const uploads = env("UPFRONT_UPLOADS").split(",");
  const uploadNames = uploads.map((u) => u.split("/").pop());
  t = await loaded();
  await page.setInputFiles("#picker", uploads);
  await page.waitForFunction((n) => document.querySelectorAll("#uploads li[data-state=done]").length === n, uploads.length);
  await waitBrowse(t);
  await page.waitForFunction((names) => names.every((n) => {
    const img = document.querySelector(`#grid li[data-name="${n}"] img`);
    return img && img.complete && img.naturalWidth > 0;
  }), uploadNames);
  steps.uploads = await page.evaluate(() => ({
    rows: [...document.querySelectorAll("#uploads li")].map((li) => ({ ...li.dataset, progress: li.querySelector("progress").value })),
    grid: [...document.querySelectorAll("#grid li")].map((li) => li.dataset.name),
    thumbnails: Object.fromEntries([...document.querySelectorAll("#grid li")].map((li) => [li.dataset.name,
      [...li.querySelectorAll("img")].map((i) => ({ src: i.currentSrc, naturalWidth: i.naturalWidth }))[0] ?? null])),
  }));
  await screenshot("grid");
  await audit("library");

  // Drag and drop: a file dropped on the drop zone uploads like a picked one.
  const firstUpload = await readFile(uploads[0]);
  t = await loaded();
  const dropped = await page.evaluateHandle((b64) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], "dropped.png", { type: "image/png" }));
    return data;
  }, firstUpload.toString("base64"));
  await page.dispatchEvent("#drop", "dragover", { dataTransfer: dropped });
  steps.dragOver = await page.locator("#drop").evaluate((d) => d.classList.contains("over"));
  await page.dispatchEvent("#drop", "drop", { dataTransfer: dropped });
  await page.waitForSelector('#uploads li[data-name="dropped.png"][data-state=done]');
  await waitBrowse(t);
  await page.waitForFunction(() => {
    const img = document.querySelector('#grid li[data-name="dropped.png"] img');
    return img && img.complete && img.naturalWidth > 0;
  });
  steps.dropped = await page.evaluate(() => ({ row: { ...document.querySelector('#uploads li[data-name="dropped.png"]').dataset },
    thumbnail: document.querySelector('#grid li[data-name="dropped.png"] img').naturalWidth }));

  // Cancel: the upload request is held (never answered) until the row's Cancel button aborts it.
  let held;
  await page.route("**/api/v2/files/upload", (route) => { held = route; });
  await page.setInputFiles("#picker", { name: "cancelled.png", mimeType: "image/png", buffer: firstUpload });
  await page.waitForFunction(() => document.querySelector('#uploads li[data-name="cancelled.png"]'));
  for (let i = 0; i < 200 && !held; i++) await page.waitForTimeout(50);
  steps.cancelHeld = Boolean(held);
  await page.getByRole("button", { name: "Cancel cancelled.png" }).click();
  const cancelled = page.locator('#uploads li[data-name="cancelled.png"][data-state=error]');
  await cancelled.waitFor();
  steps.cancelled = { code: await cancelled.getAttribute("data-code"), text: await cancelled.locator(".message").textContent(),
    cancelVisible: await cancelled.getByRole("button").isVisible() };
  await held?.abort().catch(() => {});
  await page.unroute("**/api/v2/files/upload");

  // Refused type: the upload takes images only (a check the server runs); a text file is refused by the server.
  await page.getByLabel("Accept").selectOption({ label: "Images only" });
  await page.setInputFiles("#picker", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("plain words\n") });
  const refusedType = page.locator('#uploads li[data-name="notes.txt"][data-state=error]');
  await refusedType.waitFor();
  steps.refusedType = { code: await refusedType.getAttribute("data-code"), text: await refusedType.locator(".message").textContent() };
  await page.getByLabel("Accept").selectOption({ label: "Any type" });

  // Conflict: a taken name, with "Refuse the upload" chosen.
  await page.getByLabel("When the name exists").selectOption({ label: "Refuse the upload" });
  await page.setInputFiles("#picker", { name: uploadNames[0], mimeType: "image/png", buffer: firstUpload });
  const conflict = page.locator(`#uploads li[data-name="${uploadNames[0]}"][data-state=error]`);
  await conflict.waitFor();
  steps.conflict = { code: await conflict.getAttribute("data-code"), text: await conflict.locator(".message").textContent() };
  await page.getByLabel("When the name exists").selectOption({ label: "Add a new version" });
  await screenshot("upload-errors");

  // One failure: too large.
  await page.setInputFiles("#picker", env("UPFRONT_TOO_LARGE"));
  const failed = page.locator(`#uploads li[data-state=error][data-name="${env("UPFRONT_TOO_LARGE").split("/").pop()}"]`);
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
  // Custom metadata: one control per field, typed by its schema, found by its label.
  steps.metaControls = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#meta-fields [data-field]")]
    .map((c) => [c.dataset.field, { tag: c.tagName, type: c.type, label: c.labels[0]?.textContent }])));
  await page.getByLabel("Brand").fill("Acme");
  await page.getByLabel("Price").fill("12.5");
  await page.getByLabel("On sale").selectOption("true");
  await page.getByLabel("Colour").selectOption({ label: "red" });
  await page.getByLabel("Sizes (several)").selectOption([{ label: "S" }, { label: "L" }]);
  r = await renders();
  await page.getByRole("button", { name: "Save metadata" }).click();
  await page.waitForFunction((n) => Number(document.getElementById("file").dataset.renders) > n, r);
  steps.metaError = await page.locator("#file-error").textContent();
  await screenshot("file");
  await audit("file");
  await page.reload();
  await page.waitForSelector("body[data-loaded]");
  steps.crumbsAfterReload = await page.locator("#crumbs li").allTextContents(); // the folder is in the address
  await openFile(tagged);
  steps.tagsAfterReload = await page.inputValue("#tags-input");
  steps.metaAfterReload = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#meta-fields [data-field]")]
    .map((c) => [c.dataset.field, c.multiple ? [...c.selectedOptions].map((o) => o.textContent) : c.value])));
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
  await page.getByRole("button", { name: "Delete Version 2" }).click();
  steps.versionsBeforeConfirm = await page.locator("#versions li").count();
  r = await renders();
  await page.getByRole("button", { name: "Yes, delete Version 2" }).click();
  await page.waitForFunction((n) => Number(document.getElementById("file").dataset.renders) > n, r);
  steps.versionsAfterDelete = await page.locator("#versions li").allTextContents();
  await page.getByRole("button", { name: "Close" }).click();

  // A private file: its preview is signed; a signed URL made with a short expiry decodes while it lasts, not after.
  await openFile("private.png");
  await page.waitForFunction(() => {
    const img = document.getElementById("preview-img");
    return img.src.includes("ik-s=") && img.complete && img.naturalWidth > 0;
  });
  await page.getByLabel("Signed URL, expires in (seconds)").fill(env("UPFRONT_SIGNED_SECONDS"));
  await page.getByRole("button", { name: "Create signed URL" }).click();
  const signedLink = page.locator("#signed-link");
  await signedLink.waitFor();
  const signedUrl = await signedLink.getAttribute("href");
  // Each URL opened in a fresh context (no cache shared with the page): its status, and whether the image decodes.
  const visit = async (url) => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const response = await tab.goto(url);
      const width = await tab.evaluate(() => document.images[0]?.naturalWidth ?? 0);
      return { status: response.status(), width, at: Date.now() };
    } finally {
      await context.close();
    }
  };
  const expiresAt = Number(new URL(signedUrl).searchParams.get("ik-t"));
  steps.signed = { url: signedUrl, expiresAt, during: await visit(signedUrl),
    unsigned: await visit(await page.evaluate(() => document.getElementById("built-url").value)) };
  // Bounded: the expiry is seconds away; then the same URL is refused.
  await page.waitForFunction((e) => Date.now() / 1000 > e + 1, expiresAt, { timeout: 30000 });
  steps.signed.after = await visit(signedUrl);
  await page.getByRole("button", { name: "Close" }).click();

  // Rename c.png.
  const renamed = uploadNames[2].replace(/\.png$/, "-renamed.png");
  await openFile(uploadNames[2]);
  r = await renders();
  t = await loaded();
  await page.fill("#rename-input", renamed);
  await page.getByRole("button", { name: "Rename", exact: true }).click();
  await page.waitForFunction((n) => Number(document.getElementById("file").dataset.renders) > n, r);
  await waitBrowse(t);
  steps.renamed = { title: await page.locator("#file-title").textContent(),
    grid: await page.evaluate(() => [...document.querySelectorAll("#grid li")].map((li) => li.dataset.name)) };
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

  // Folders: create one here, open it, move it to the root (a bulk job whose status shows), delete it after confirmation.
  t = await loaded();
  await page.fill("#new-folder-name", "albums");
  await page.getByRole("button", { name: "Create folder" }).click();
  await waitBrowse(t);
  await page.getByRole("button", { name: "📁 albums" }).waitFor();
  t = await loaded();
  await page.getByRole("button", { name: "📁 albums" }).click();
  await waitBrowse(t);
  steps.inNewFolder = await page.locator("#crumbs li").allTextContents();
  t = await loaded();
  await page.getByLabel("Rename this folder to").fill("records");
  await page.getByRole("button", { name: "Rename folder" }).click();
  await waitBrowse(t);
  steps.folderRenamed = { crumbs: await page.locator("#crumbs li").allTextContents(),
    job: await page.locator("#job-status").textContent(), jobStatus: await page.locator("#job-status").getAttribute("data-status"),
    error: await page.locator("#folder-error").textContent(), address: new URL(page.url()).searchParams.get("path") };
  t = await loaded();
  await page.getByLabel("Move this folder into").fill("/");
  await page.getByRole("button", { name: "Move folder" }).click();
  await waitBrowse(t);
  steps.folderMoved = { crumbs: await page.locator("#crumbs li").allTextContents(),
    job: await page.locator("#job-status").textContent(), jobStatus: await page.locator("#job-status").getAttribute("data-status"),
    error: await page.locator("#folder-error").textContent() };
  await page.click("#delete-folder");
  t = await loaded();
  await page.click("#delete-folder-confirm");
  await waitBrowse(t);
  steps.afterFolderDelete = { crumbs: await page.locator("#crumbs li").allTextContents(),
    folders: await page.locator("#folders li").allTextContents(), error: await page.locator("#folder-error").textContent() };

  // The overview: totals and the chart of uploads per day.
  await page.getByRole("link", { name: "Overview" }).click();
  await page.waitForSelector("#overview[data-loaded]");
  steps.overview = await page.evaluate(() => ({
    visible: !document.getElementById("overview").hidden, libraryHidden: document.getElementById("library").hidden,
    bars: [...document.querySelectorAll("#chart rect.day")].map((r) => ({ date: r.dataset.date, uploads: Number(r.dataset.uploads),
      height: Number(r.getAttribute("height")) })),
    formats: [...document.querySelectorAll("#by-format tbody tr")].map((tr) => ({ key: tr.dataset.key, text: tr.textContent })),
    folders: [...document.querySelectorAll("#by-folder tbody tr")].map((tr) => ({ key: tr.dataset.key, text: tr.textContent })),
    desc: document.querySelector("#chart desc")?.textContent,
  }));
  await screenshot("overview");
  await audit("overview");
  await page.getByRole("link", { name: "Library" }).click();
  await page.waitForFunction(() => !document.getElementById("library").hidden);

  // Keyboard: the first control is reachable by Tab and shows a focus outline.
  await page.keyboard.press("Tab");
  steps.focus = await page.evaluate(() => ({ tag: document.activeElement.tagName,
    outline: getComputedStyle(document.activeElement).outlineStyle }));

  // Keyboard only: Tab to a file (bounded), Enter opens it, Escape closes it and focus goes back to the file.
  await page.goto(`${base}/dashboard?path=${encodeURIComponent("/photos/")}`);
  await page.waitForSelector("body[data-loaded]");
  const focusedFile = () => page.evaluate(() => document.activeElement?.closest("#grid li")?.dataset.name ?? null);
  let tabs = 0;
  while (!(await focusedFile()) && tabs < 80) {
    await page.keyboard.press("Tab");
    tabs++;
  }
  const keyboard = { tabs, file: await focusedFile(), outline: await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle) };
  const before = await renders();
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => Number(document.getElementById("file").dataset.renders ?? 0) > n, before);
  keyboard.open = await page.evaluate(() => ({ open: document.getElementById("file").open, title: document.getElementById("file-title").textContent,
    focusInside: document.getElementById("file").contains(document.activeElement) }));
  await screenshot("file-keyboard");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.getElementById("file").open);
  keyboard.afterEscape = { open: await page.evaluate(() => document.getElementById("file").open), file: await focusedFile() };
  steps.keyboard = keyboard;

  // Paging through a folder of more than one page (UPFRONT_PAGED_FOLDER): newest first and by size (a key and
  // a skip over ties), and by name (an offset); the page is in the address; Previous goes back.
  const names = () => page.evaluate(() => [...document.querySelectorAll("#grid li")].map((li) => li.dataset.name));
  const paging = {};
  await page.goto(`${base}/dashboard?path=${encodeURIComponent(env("UPFRONT_PAGED_FOLDER"))}`);
  await page.waitForSelector("body[data-loaded]");
  for (const sort of ["Newest", "Largest", "Name A–Z"]) {
    t = await loaded();
    await page.getByLabel("Sort").selectOption({ label: sort });
    await page.getByRole("button", { name: "Search" }).click();
    await waitBrowse(t);
    const first = await names();
    t = await loaded();
    await page.getByRole("button", { name: "Next" }).click();
    await waitBrowse(t);
    const second = await names();
    const address = Object.fromEntries(new URL(page.url()).searchParams);
    const info = await page.locator("#page-info").textContent();
    const nextDisabled = await page.locator("#next").isDisabled();
    t = await loaded();
    await page.getByRole("button", { name: "Previous" }).click();
    await waitBrowse(t);
    paging[sort] = { first, second, address, info, nextDisabled, back: await names() };
  }
  steps.paging = paging;

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

// The signed-in dashboard page: no framework, no third-party code. It calls the media API (/v1/...) with the
// session cookie and the CSRF header (the page never holds the private key), asks /dashboard/api/upload-token for
// a v2 JWT per file, and uploads with the server's own browser SDK.
import { upload } from "/sdk/upfront.js";

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const urlEndpoint = document.querySelector('meta[name="url-endpoint"]').content.replace(/\/$/, "");
const PAGE = 48;
const query = new URLSearchParams(location.search);
const state = { path: query.get("path") || "/", sort: "DESC_CREATED", name: "", tags: "", searchQuery: "", file: null,
  page: pageFromAddress(query), back: [] };
const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(message, code, status) { super(message); this.code = code; this.status = status; }
}

async function api(method, path, body) {
  const headers = { "X-CSRF-Token": csrf };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin" });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(json?.message ?? response.statusText, json?.code, response.status);
  return json;
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e[k] = v;
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

const bytes = (n) => n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;
const encodePath = (p) => p.split("/").map(encodeURIComponent).join("/");
const thumbnail = (filePath) => `${urlEndpoint}/tr:n-ik_ml_thumbnail${encodePath(filePath)}`;
const status = (text) => { $("status").textContent = text; };

// Browse: folders of the current path, breadcrumbs, one page of files.
async function browse() {
  status("Loading…");
  renderCrumbs();
  renderFolderActions();
  const folderQuery = new URLSearchParams({ type: "folder", path: state.path, limit: "1000" });
  const fileQuery = new URLSearchParams({ type: "file", sort: state.sort, limit: String(PAGE + 1), skip: String(state.page.skip) });
  fileQuery.set("path", state.path);
  // The folder's own files (its sub-folders are in the folder list): an equality an index can seek on.
  const search = [`path = ${JSON.stringify(state.path)}`, searchQuery(), pageBound()].filter(Boolean).map((c, _, all) => all.length > 1 ? `(${c})` : c).join(" AND ");
  if (search) fileQuery.set("searchQuery", search);
  try {
    const [folders, files] = await Promise.all([api("GET", `/v1/files?${folderQuery}`), api("GET", `/v1/files?${fileQuery}`)]);
    renderFolders(folders);
    state.shown = files.slice(0, PAGE);
    renderGrid(state.shown);
    // For bench/dashboard.sh: when the first grid was rendered, and painted (the frame after).
    if (!performance.getEntriesByName("grid-rendered").length) {
      performance.mark("grid-rendered");
      requestAnimationFrame(() => setTimeout(() => performance.mark("grid-painted")));
    }
    $("prev").disabled = state.page.number === 1;
    $("next").disabled = files.length <= PAGE;
    $("page-info").textContent = `Page ${state.page.number}`;
    status(files.length === 0 ? "No files here." : "");
    document.body.dataset.loaded = String(Date.now());
  } catch (e) {
    status(`Could not list: ${e.message}`);
  }
}

/** Name (a prefix), tags (any of) and the raw box, as one searchQuery (it overrides name and tags parameters). */
function searchQuery() {
  const clauses = [];
  if (state.name) clauses.push(`name : ${JSON.stringify(state.name)}`);
  const tags = state.tags.split(",").map((t) => t.trim()).filter(Boolean);
  if (tags.length) clauses.push(`tags IN [${tags.map((t) => JSON.stringify(t)).join(", ")}]`);
  if (state.searchQuery) clauses.push(clauses.length ? `(${state.searchQuery})` : state.searchQuery);
  return clauses.join(" AND ");
}

function go(path) {
  state.path = path;
  firstPage();
  browse();
}

// Paging. Sorted by date or size, a page starts at a key: a searchQuery bound (createdAt <= the last one shown)
// plus a skip over the files that share that key, so a deep page costs what the first one does instead of an OFFSET
// that reads every row before it. Names have no ordered searchQuery operator: they page by offset.
const KEYS = { DESC_CREATED: ["createdAt", "<="], ASC_CREATED: ["createdAt", ">="], DESC_SIZE: ["size", "<="], ASC_SIZE: ["size", ">="] };

function pageFromAddress(q) {
  const after = q.get("after");
  return { after, skip: Number(q.get("skip") ?? 0) || 0, number: after || q.get("skip") ? Number(q.get("page") ?? 2) || 2 : 1 };
}

function pageBound() {
  const key = KEYS[state.sort];
  return key && state.page.after !== null ? `${key[0]} ${key[1]} ${JSON.stringify(state.page.after)}` : "";
}

/** The folder and the page in the address, so a reload (or a shared link) shows the same page. */
function remember() {
  const q = new URLSearchParams({ path: state.path });
  if (state.page.number > 1) {
    if (state.page.after !== null) q.set("after", state.page.after);
    q.set("skip", String(state.page.skip));
    q.set("page", String(state.page.number));
  }
  history.replaceState(null, "", `?${q}${location.hash}`);
}

function firstPage() {
  state.page = { after: null, skip: 0, number: 1 };
  state.back = [];
  remember();
}

function nextPage() {
  const key = KEYS[state.sort];
  state.back.push(state.page);
  if (!key) {
    state.page = { after: null, skip: state.page.skip + PAGE, number: state.page.number + 1 };
  } else {
    const value = (f) => String(f[key[0]]);
    const last = value(state.shown[state.shown.length - 1]);
    // Files on this page with the last key; when the whole page shares it, the ones skipped before it too.
    const ties = state.shown.filter((f) => value(f) === last).length;
    const skip = state.page.after === last ? state.page.skip + ties : ties;
    state.page = { after: last, skip, number: state.page.number + 1 };
  }
  remember();
  browse();
}

function previousPage() {
  // After a reload the way back is unknown: back to the first page.
  state.page = state.back.pop() ?? { after: null, skip: 0, number: 1 };
  remember();
  browse();
}

function renderFolderActions() {
  $("delete-folder").hidden = state.path === "/";
  $("move-folder").hidden = state.path === "/";
  $("rename-folder").hidden = state.path === "/";
  $("delete-folder-confirm").hidden = true;
}

async function folderChange(change, thenPath) {
  $("folder-error").textContent = "";
  try {
    await change();
    go(thenPath);
  } catch (e) {
    $("folder-error").textContent = `${e.message}${e.code ? ` (${e.code})` : ""}`;
  }
}

$("new-folder").addEventListener("submit", (e) => {
  e.preventDefault();
  const folderName = $("new-folder-name").value.trim();
  folderChange(() => api("POST", "/v1/folder", { folderName, parentFolderPath: state.path }), state.path)
    .then(() => { $("new-folder-name").value = ""; });
});
$("delete-folder").addEventListener("click", () => { $("delete-folder-confirm").hidden = false; $("delete-folder-confirm").focus(); });
$("delete-folder-confirm").addEventListener("click", () =>
  folderChange(() => api("DELETE", "/v1/folder", { folderPath: state.path }), state.path.replace(/[^/]+\/$/, "")));

/** Follows a bulk job until it completes (bounded), showing its status. */
async function followJob(jobId, verb) {
  for (let i = 0; i < 240; i++) {
    const job = await api("GET", `/v1/bulkJobs/${encodeURIComponent(jobId)}`);
    $("job-status").textContent = `${verb}: job ${job.jobId} ${job.status.toLowerCase()}.`;
    $("job-status").dataset.status = job.status;
    if (job.status === "Completed") return job;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`job ${jobId} is still running; its result shows when it completes`);
}

$("rename-folder").addEventListener("submit", (e) => {
  e.preventDefault();
  const newFolderName = $("rename-folder-name").value.trim();
  const parent = state.path.replace(/[^/]+\/$/, "");
  $("job-status").textContent = "Renaming: starting the job…";
  folderChange(async () => {
    const { jobId } = await api("POST", "/v1/bulkJobs/renameFolder", { folderPath: state.path, newFolderName });
    await followJob(jobId, `Renaming to ${newFolderName}`);
    $("rename-folder-name").value = "";
  }, `${parent}${newFolderName}/`);
});

$("move-folder").addEventListener("submit", (e) => {
  e.preventDefault();
  let destinationPath = $("move-folder-dest").value.trim() || "/";
  if (!destinationPath.startsWith("/")) destinationPath = "/" + destinationPath;
  if (!destinationPath.endsWith("/")) destinationPath += "/";
  const name = state.path.split("/").filter(Boolean).pop();
  $("job-status").textContent = "Moving: starting the job…";
  folderChange(async () => {
    const { jobId } = await api("POST", "/v1/bulkJobs/moveFolder", { sourceFolderPath: state.path, destinationPath });
    await followJob(jobId, `Moving ${name} into ${destinationPath}`);
    $("move-folder-dest").value = "";
  }, `${destinationPath}${name}/`);
});

function renderCrumbs() {
  const parts = state.path.split("/").filter(Boolean);
  const items = [el("li", {}, el("button", { type: "button", textContent: "Home", onclick: () => go("/") }))];
  parts.forEach((part, i) => {
    const path = "/" + parts.slice(0, i + 1).join("/") + "/";
    items.push(el("li", {}, el("button", { type: "button", textContent: part, onclick: () => go(path) })));
  });
  items[items.length - 1].firstChild.setAttribute("aria-current", "page");
  $("crumbs").replaceChildren(...items);
}

function renderFolders(folders) {
  const items = [];
  if (state.path !== "/") {
    const parent = state.path.replace(/[^/]+\/$/, "");
    items.push(el("li", {}, el("button", { type: "button", textContent: "↑ Up", onclick: () => go(parent) })));
  }
  for (const f of folders) {
    items.push(el("li", {}, el("button", { type: "button", textContent: `📁 ${f.name}`, onclick: () => go(f.folderPath + "/") })));
  }
  $("folders").replaceChildren(...items);
}

function fileIcon(f) {
  const ext = (f.name.split(".").pop() || f.fileType).slice(0, 4).toUpperCase();
  return el("span", { className: "icon", textContent: ext, ariaHidden: "true" });
}

function renderGrid(files) {
  $("grid").replaceChildren(...files.map((f) => el("li", { dataset: { fileId: f.fileId, name: f.name } },
    // The name is the visible text plus a hidden "Open": what a screen reader says is what the eye reads.
    el("button", { type: "button", onclick: () => openFile(f.fileId) },
      f.fileType === "image"
        ? el("img", { src: thumbnail(f.filePath), loading: "lazy", alt: "", width: 160, height: 160 })
        : fileIcon(f),
      el("span", { className: "name" }, el("span", { className: "sr-only", textContent: "Open " }), f.name),
      el("span", { className: "meta", textContent: `${bytes(f.size)} · ${new Date(f.createdAt).toLocaleDateString()}` })))));
}

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  Object.assign(state, { name: form.get("name").trim(), tags: form.get("tags").trim(),
    searchQuery: form.get("searchQuery").trim(), sort: form.get("sort") });
  firstPage();
  browse();
});
$("prev").addEventListener("click", previousPage);
$("next").addEventListener("click", nextPage);

// Upload: one row per file with progress and cancel; the server signs a v2 JWT for each file's fields.
async function authenticator({ uploadPayload }) {
  return api("POST", "/dashboard/api/upload-token", { uploadPayload });
}

const ACCEPTED = { "image/": "images", "video/": "videos", "application/pdf": "PDF files" };
// What went wrong, in words, by the server's error code (its own message follows); the rest say "Failed".
const UPLOAD_ERRORS = {
  FILE_TOO_LARGE: () => "Too large: the file is bigger than this server accepts",
  CHECKS_FAILED: (file) => `Refused type: this upload takes ${ACCEPTED[$("accept").value] ?? "other files"} only, and this file is ${
    file.type || "of an unknown type"}`,
  VERSION_LIMIT: () => "Version limit: the file has as many versions as it may keep; delete old ones first",
  FILE_EXISTS: () => "Conflict: a file with this name is already in this folder",
  INVALID_FILE: () => "Refused: the file is empty or unreadable",
  PENDING_UPLOADS_FULL: () => "Server busy: try again in a moment",
  UPLOADS_BUSY: () => "Server busy: try again in a moment",
  UPLOAD_TOO_SLOW: () => "Too slow: the connection stalled",
};

/** The upload's fields from the options next to the picker: what it accepts (as checks) and what a taken name does. */
function uploadFields() {
  const fields = {};
  const accept = $("accept").value;
  if (accept) fields.checks = `"file.mime" : ${JSON.stringify(accept)}`;
  const onExists = $("on-exists").value;
  fields.useUniqueFileName = onExists === "unique" ? "true" : "false";
  if (onExists === "refuse") fields.overwriteFile = "false";
  return fields;
}

function uploadOne(file) {
  const controller = new AbortController();
  const progress = el("progress", { max: 100, value: 0, ariaLabel: `Progress of ${file.name}` });
  const message = el("span", { className: "message", textContent: "Uploading…" });
  const cancel = el("button", { type: "button", textContent: "Cancel", ariaLabel: `Cancel ${file.name}`, onclick: () => controller.abort() });
  const row = el("li", { dataset: { state: "uploading", name: file.name } }, el("span", { className: "file-name", textContent: file.name }), progress, cancel, message);
  $("uploads").append(row);
  return upload({
    file, fileName: file.name, folder: state.path, ...uploadFields(),
    authenticator, uploadEndpoint: location.origin, abortSignal: controller.signal,
    onProgress: (e) => {
      row.dataset.progressEvents = String(Number(row.dataset.progressEvents ?? 0) + 1);
      if (e.total) progress.value = Math.round((e.loaded / e.total) * 100);
    },
  }).then(() => {
    progress.value = 100;
    row.dataset.state = "done";
    message.textContent = "Uploaded.";
  }, (e) => {
    row.dataset.state = "error";
    row.dataset.code = e.code ?? (e.name === "ImageKitAbortError" ? "CANCELLED" : "");
    const reason = UPLOAD_ERRORS[e.code]?.(file) ?? "Failed";
    message.textContent = e.name === "ImageKitAbortError" ? "Cancelled." : `${reason}. ${e.message}`;
  }).finally(() => {
    cancel.hidden = true;
    $("clear-uploads").hidden = false;
  });
}

$("clear-uploads").addEventListener("click", () => {
  $("uploads").querySelectorAll("li:not([data-state=uploading])").forEach((li) => li.remove());
  $("clear-uploads").hidden = true;
});

async function uploadAll(files) {
  await Promise.all([...files].map(uploadOne));
  await browse();
}

$("picker").addEventListener("change", (e) => { uploadAll(e.target.files); e.target.value = ""; });
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); uploadAll(e.dataTransfer.files); });

// One file: preview, details, tags, metadata, versions, rename, move, delete.
async function openFile(fileId) {
  const dialog = $("file");
  $("file-error").textContent = "";
  $("delete-confirm").hidden = true;
  try {
    const f = await api("GET", `/v1/files/${encodeURIComponent(fileId)}/details`);
    state.file = f;
    $("file-title").textContent = f.filePath;
    $("transform").hidden = f.fileType !== "image";
    $("transform").reset();
    $("file-preview").replaceChildren(f.fileType === "image"
      ? el("img", { id: "preview-img", alt: `Preview of ${f.name}` })
      : el("a", { href: f.url, textContent: "Open the file" }));
    $("signed-url").replaceChildren();
    buildUrl();
    const rows = [["Size", bytes(f.size)], ["Type", f.mime], ["Dimensions", f.width ? `${f.width} × ${f.height}` : "—"],
      ["Created", f.createdAt], ["Updated", f.updatedAt], ["URL", f.url], ["Private", String(f.isPrivateFile)]];
    $("file-details").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { textContent: k }), el("dd", { textContent: v ?? "" })]));
    $("tags-input").value = (f.tags ?? []).join(", ");
    $("embedded").textContent = f.embeddedMetadata && Object.keys(f.embeddedMetadata).length
      ? JSON.stringify(f.embeddedMetadata, null, 2) : "None.";
    $("rename-input").value = f.name;
    $("move-input").value = f.filePath.replace(/[^/]+$/, "");
    if (!dialog.open) dialog.showModal();
    await Promise.all([renderVersions(f), renderImageMetadata(f), renderMetaFields(f)]);
    dialog.dataset.loaded = f.fileId;
    dialog.dataset.renders = String(Number(dialog.dataset.renders ?? 0) + 1);
  } catch (e) {
    status(`Could not open the file: ${e.message}`);
  }
}

async function renderVersions(f) {
  const versions = await api("GET", `/v1/files/${encodeURIComponent(f.fileId)}/versions`);
  $("versions").replaceChildren(...versions.map((v) => {
    const current = v.versionInfo.id === f.versionInfo.id;
    const label = `${v.versionInfo.name} · ${bytes(v.size)} · ${v.updatedAt}${current ? " (current)" : ""}`;
    // Deleting a version asks first, like deleting a file.
    const confirm = current ? null : el("button", { type: "button", className: "danger", hidden: true,
      textContent: `Yes, delete ${v.versionInfo.name}`,
      onclick: () => act(() => api("DELETE", `/v1/files/${f.fileId}/versions/${v.versionInfo.id}`)) });
    return el("li", { dataset: { versionId: v.versionInfo.id } }, label, " ",
      current ? null : el("button", { type: "button", textContent: "Restore", ariaLabel: `Restore ${v.versionInfo.name}`,
        onclick: () => act(() => api("PUT", `/v1/files/${f.fileId}/versions/${v.versionInfo.id}/restore`)) }),
      current ? null : el("button", { type: "button", className: "danger", textContent: "Delete", ariaLabel: `Delete ${v.versionInfo.name}`,
        onclick: () => { confirm.hidden = false; confirm.focus(); } }), " ", confirm);
  }));
}

async function renderImageMetadata(f) {
  if (f.fileType !== "image") {
    $("image-meta").textContent = "—";
    return;
  }
  try {
    const m = await api("GET", `/v1/files/${encodeURIComponent(f.fileId)}/metadata`);
    $("image-meta").textContent = JSON.stringify(m, null, 2);
  } catch (e) {
    $("image-meta").textContent = e.message;
  }
}

// Custom metadata: one control per field of /v1/customMetadataFields, typed by the field's schema.
async function renderMetaFields(f) {
  const fields = await api("GET", "/v1/customMetadataFields");
  const values = f.customMetadata ?? {};
  $("meta-save").hidden = fields.length === 0;
  if (fields.length === 0) {
    $("meta-fields").replaceChildren(el("p", { className: "hint",
      textContent: "No custom metadata fields yet (POST /v1/customMetadataFields creates them)." }));
    return;
  }
  $("meta-fields").replaceChildren(...fields.map((field) => {
    const id = `meta-${field.name}`;
    const schema = field.schema ?? {};
    const value = values[field.name];
    const control = metaControl(field, schema, value);
    Object.assign(control, { id, name: field.name, required: Boolean(schema.isValueRequired) });
    control.dataset.field = field.name;
    control.dataset.type = schema.type;
    const hint = schema.type === "MultiSelect" ? " (several)" : "";
    return el("div", { className: "meta-row" }, el("label", { htmlFor: id, textContent: `${field.label}${hint}` }), control);
  }));
}

function optionsOf(schema, value, multiple) {
  const chosen = multiple ? (Array.isArray(value) ? value : []) : [value];
  const options = (schema.selectOptions ?? []).map((o) => el("option", { value: JSON.stringify(o), textContent: String(o),
    selected: chosen.some((c) => c === o) }));
  return multiple ? options : [el("option", { value: "", textContent: "—" }), ...options];
}

function metaControl(field, schema, value) {
  const has = value !== undefined && value !== null;
  switch (schema.type) {
    case "Textarea":
      return el("textarea", { rows: 2, value: has ? String(value) : "", maxLength: schema.maxLength ?? undefined });
    case "Number":
      return el("input", { type: "number", step: "any", value: has ? String(value) : "",
        min: schema.minValue ?? undefined, max: schema.maxValue ?? undefined, inputMode: "decimal" });
    case "Date":
      return el("input", { type: "date", value: has ? String(value).slice(0, 10) : "" });
    case "Boolean":
      return el("select", {}, el("option", { value: "", textContent: "—" }),
        el("option", { value: "true", textContent: "Yes", selected: value === true }),
        el("option", { value: "false", textContent: "No", selected: value === false }));
    case "SingleSelect":
      return el("select", {}, ...optionsOf(schema, value, false));
    case "MultiSelect":
      return el("select", { multiple: true, size: Math.min(4, (schema.selectOptions ?? []).length || 1) }, ...optionsOf(schema, value, true));
    default: // Text
      return el("input", { type: "text", value: has ? String(value) : "",
        maxLength: schema.maxLength ?? undefined, minLength: schema.minLength ?? undefined });
  }
}

/** The form's values as the API takes them; an emptied control unsets its field (null). */
function readMetaFields() {
  const out = {};
  for (const c of $("meta-fields").querySelectorAll("[data-field]")) {
    const { field, type } = c.dataset;
    if (type === "MultiSelect") {
      const chosen = [...c.selectedOptions].map((o) => JSON.parse(o.value));
      out[field] = chosen.length ? chosen : null;
    } else if (c.value === "") {
      out[field] = null;
    } else if (type === "Number") {
      out[field] = Number(c.value);
    } else if (type === "Boolean") {
      out[field] = c.value === "true";
    } else if (type === "SingleSelect") {
      out[field] = JSON.parse(c.value);
    } else {
      out[field] = c.value;
    }
  }
  return out;
}

/** Runs a change to the open file, then shows the file and the grid again; errors stay in the dialog. */
async function act(change, close = false) {
  $("file-error").textContent = "";
  try {
    await change();
    if (close) $("file").close();
    else await openFile(state.file.fileId);
    await browse();
  } catch (e) {
    $("file-error").textContent = `${e.message}${e.code ? ` (${e.code})` : ""}`;
  }
}

/** The delivery URL of the open file with the builder's transformation; the preview shows it live. */
function buildUrl() {
  const f = state.file;
  const params = [...new FormData($("transform")).entries()].filter(([, v]) => String(v).trim() !== "")
    .map(([k, v]) => `${k}-${String(v).trim()}`);
  const url = params.length ? `${urlEndpoint}/tr:${params.join(",")}${encodePath(f.filePath)}` : f.url;
  $("built-url").value = url;
  setPreview(params.length ? url : `${urlEndpoint}/tr:w-600${encodePath(f.filePath)}`);
  return url;
}

let previewSeq = 0;
/** Shows {@code url} in the preview; a private file's preview is a signed URL (ten minutes). Last call wins. */
async function setPreview(url) {
  const img = $("preview-img");
  if (!img) return;
  const seq = ++previewSeq;
  let src = url;
  if (state.file.isPrivateFile) {
    try {
      src = (await api("POST", "/dashboard/api/signed-url", { url, expireSeconds: 600 })).url;
    } catch (e) {
      $("file-error").textContent = `Could not sign the preview: ${e.message}`;
      return;
    }
  }
  if (seq === previewSeq) img.src = src;
}

$("sign-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("file-error").textContent = "";
  try {
    const { url } = await api("POST", "/dashboard/api/signed-url", { url: buildUrl(), expireSeconds: Number($("sign-expire").value) });
    $("signed-url").replaceChildren(el("a", { href: url, textContent: url, target: "_blank", rel: "noopener", id: "signed-link" }));
  } catch (err) {
    $("file-error").textContent = `${err.message}${err.code ? ` (${err.code})` : ""}`;
  }
});
$("transform").addEventListener("input", buildUrl);
$("transform").addEventListener("submit", (e) => e.preventDefault());

$("file-close").addEventListener("click", () => $("file").close());
$("copy-url").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(buildUrl());
    $("copy-done").textContent = "Copied.";
  } catch {
    $("copy-done").textContent = buildUrl();
  }
});
$("tags-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const tags = $("tags-input").value.split(",").map((t) => t.trim()).filter(Boolean);
  act(() => api("PATCH", `/v1/files/${state.file.fileId}/details`, { tags: tags.length ? tags : null }));
});
$("meta-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const customMetadata = readMetaFields();
  act(() => api("PATCH", `/v1/files/${state.file.fileId}/details`, { customMetadata }));
});
$("rename-form").addEventListener("submit", (e) => {
  e.preventDefault();
  act(() => api("PUT", "/v1/files/rename", { filePath: state.file.filePath, newFileName: $("rename-input").value.trim() }));
});
$("move-form").addEventListener("submit", (e) => {
  e.preventDefault();
  act(() => api("POST", "/v1/files/move", { sourceFilePath: state.file.filePath, destinationPath: $("move-input").value.trim() }), true);
});
$("delete").addEventListener("click", () => { $("delete-confirm").hidden = false; $("delete-confirm").focus(); });
$("delete-confirm").addEventListener("click", () => act(() => api("DELETE", `/v1/files/${state.file.fileId}`), true));

// Sections: the library, or the overview (#overview).
function showSection() {
  const overview = location.hash === "#overview";
  $("overview").hidden = !overview;
  $("library").hidden = overview;
  $("nav-overview").toggleAttribute("aria-current", overview);
  $("nav-library").toggleAttribute("aria-current", !overview);
  if (overview) loadOverview();
}
window.addEventListener("hashchange", showSection);

async function loadOverview() {
  $("overview-status").textContent = "Loading…";
  try {
    const o = await api("GET", "/dashboard/api/overview");
    renderTotals("by-format", o.byFormat, (k) => k);
    renderTotals("by-folder", o.byTopFolder, (k) => k === "/" ? "/ (root)" : k);
    renderChart(o.uploadsPerDay);
    $("overview-status").textContent = "";
    $("overview").dataset.loaded = String(Date.now());
  } catch (e) {
    $("overview-status").textContent = `Could not load the overview: ${e.message}`;
  }
}

function renderTotals(id, buckets, label) {
  const max = Math.max(1, ...buckets.map((b) => b.bytes));
  $(id).tBodies[0].replaceChildren(...(buckets.length ? buckets.map((b) => {
    const bar = el("span", { className: "bar", ariaHidden: "true" });
    bar.style.width = `${Math.max(1, Math.round((b.bytes / max) * 100))}%`;
    return el("tr", { dataset: { key: b.key } }, el("th", { scope: "row", textContent: label(b.key) }),
      el("td", { textContent: b.files.toLocaleString() }), el("td", {}, bytes(b.bytes), bar));
  }) : [el("tr", {}, el("td", { colSpan: 3, textContent: "No files yet." }))]));
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

/** A bar chart of uploads per day: hand-written SVG, one bar (with its title) per day, a labelled axis. */
function renderChart(days) {
  const W = 720, H = 220, left = 40, right = 8, top = 22, bottom = 30; // top: room for the top label at phone size
  const max = Math.max(1, ...days.map((d) => d.uploads));
  const step = (W - left - right) / days.length;
  const y = (n) => top + (H - top - bottom) * (1 - n / max);
  const total = days.reduce((sum, d) => sum + d.uploads, 0);
  const busiest = days.reduce((a, d) => (d.uploads > a.uploads ? d : a), days[0]);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "chart-title chart-desc", class: "chart" },
    svg("desc", { id: "chart-desc" }, `${total} uploads in ${days.length} days` +
      (total ? `; the most on ${busiest.date} (${busiest.uploads}).` : ".")));
  for (const tick of [...new Set([0, Math.round(max / 2), max])]) {
    chart.append(svg("line", { x1: left, x2: W - right, y1: y(tick), y2: y(tick), class: "grid-line" }),
      svg("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", class: "axis" }, String(tick)));
  }
  days.forEach((d, i) => {
    const x = left + i * step;
    const h = H - bottom - y(d.uploads);
    chart.append(svg("rect", { x: x + step * 0.15, y: y(d.uploads), width: step * 0.7, height: Math.max(h, d.uploads ? 1 : 0),
      class: "day", "data-date": d.date, "data-uploads": d.uploads }, svg("title", {}, `${d.date}: ${d.uploads} uploads`)));
    if ((days.length - 1 - i) % 7 === 0) { // every week back from today, so labels never overlap
      const last = i === days.length - 1; // today's label ends at the edge instead of running past it
      chart.append(svg("text", { x: last ? x + step : x + step / 2, y: H - bottom + 18, "text-anchor": last ? "end" : "middle",
        class: "axis" }, d.date.slice(5)));
    }
  });
  $("chart").replaceChildren(chart);
}

// Folder actions start open where there is room for them, folded on a phone (the files come first).
$("folder-tools").open = matchMedia("(min-width: 701px)").matches;
showSection();
browse();

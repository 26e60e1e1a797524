// The signed-in dashboard page: no framework, no third-party code. It calls the media API (/v1/...) with the
// session cookie and the CSRF header (the page never holds the private key), asks /dashboard/api/upload-token for
// a v2 JWT per file, and uploads with the server's own browser SDK.
import { upload } from "/sdk/upfront.js";

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const urlEndpoint = document.querySelector('meta[name="url-endpoint"]').content.replace(/\/$/, "");
const PAGE = 48;
const state = { path: "/", skip: 0, sort: "ASC_NAME", name: "", tags: "", searchQuery: "", file: null };
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
  const fileQuery = new URLSearchParams({ type: "file", sort: state.sort, limit: String(PAGE + 1), skip: String(state.skip) });
  if (state.searchQuery) {
    fileQuery.set("searchQuery", state.searchQuery);
    fileQuery.set("path", state.path);
  } else {
    fileQuery.set("path", state.path);
    if (state.name) fileQuery.set("name", state.name);
    if (state.tags) fileQuery.set("tags", state.tags);
  }
  try {
    const [folders, files] = await Promise.all([api("GET", `/v1/files?${folderQuery}`), api("GET", `/v1/files?${fileQuery}`)]);
    renderFolders(folders);
    renderGrid(files.slice(0, PAGE));
    $("prev").disabled = state.skip === 0;
    $("next").disabled = files.length <= PAGE;
    $("page-info").textContent = `${state.skip + 1}–${state.skip + Math.min(files.length, PAGE)}`;
    status(files.length === 0 ? "No files here." : "");
    document.body.dataset.loaded = String(Date.now());
  } catch (e) {
    status(`Could not list: ${e.message}`);
  }
}

function go(path) {
  state.path = path;
  state.skip = 0;
  browse();
}

function renderFolderActions() {
  $("delete-folder").hidden = state.path === "/";
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
    el("button", { type: "button", onclick: () => openFile(f.fileId), ariaLabel: `Open ${f.name}` },
      f.fileType === "image"
        ? el("img", { src: thumbnail(f.filePath), loading: "lazy", alt: "", width: 160, height: 160 })
        : fileIcon(f),
      el("span", { className: "name", textContent: f.name }),
      el("span", { className: "meta", textContent: `${bytes(f.size)} · ${new Date(f.createdAt).toLocaleDateString()}` })))));
}

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  Object.assign(state, { name: form.get("name").trim(), tags: form.get("tags").trim(),
    searchQuery: form.get("searchQuery").trim(), sort: form.get("sort"), skip: 0 });
  browse();
});
$("prev").addEventListener("click", () => { state.skip = Math.max(0, state.skip - PAGE); browse(); });
$("next").addEventListener("click", () => { state.skip += PAGE; browse(); });

// Upload: one row per file with progress and cancel; the server signs a v2 JWT for each file's fields.
async function authenticator({ uploadPayload }) {
  return api("POST", "/dashboard/api/upload-token", { uploadPayload });
}

function uploadOne(file) {
  const controller = new AbortController();
  const progress = el("progress", { max: 100, value: 0, ariaLabel: `Progress of ${file.name}` });
  const message = el("span", { className: "message", textContent: "Uploading…" });
  const cancel = el("button", { type: "button", textContent: "Cancel", ariaLabel: `Cancel ${file.name}`, onclick: () => controller.abort() });
  const row = el("li", { dataset: { state: "uploading", name: file.name } }, el("span", { textContent: file.name }), progress, cancel, message);
  $("uploads").append(row);
  return upload({
    file, fileName: file.name, folder: state.path, useUniqueFileName: "false",
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
    message.textContent = e.name === "ImageKitAbortError" ? "Cancelled." : `Failed: ${e.message}`;
  }).finally(() => { cancel.disabled = true; });
}

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
      ? el("img", { id: "preview-img", src: `${urlEndpoint}/tr:w-600${encodePath(f.filePath)}`, alt: `Preview of ${f.name}` })
      : el("a", { href: f.url, textContent: "Open the file" }));
    buildUrl();
    const rows = [["Size", bytes(f.size)], ["Type", f.mime], ["Dimensions", f.width ? `${f.width} × ${f.height}` : "—"],
      ["Created", f.createdAt], ["Updated", f.updatedAt], ["URL", f.url], ["Private", String(f.isPrivateFile)]];
    $("file-details").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { textContent: k }), el("dd", { textContent: v ?? "" })]));
    $("tags-input").value = (f.tags ?? []).join(", ");
    $("meta-input").value = JSON.stringify(f.customMetadata ?? {});
    $("rename-input").value = f.name;
    $("move-input").value = f.filePath.replace(/[^/]+$/, "");
    if (!dialog.open) dialog.showModal();
    await Promise.all([renderVersions(f), renderEmbedded(f)]);
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
    return el("li", { dataset: { versionId: v.versionInfo.id } }, label, " ",
      current ? null : el("button", { type: "button", textContent: "Restore", ariaLabel: `Restore ${v.versionInfo.name}`,
        onclick: () => act(() => api("PUT", `/v1/files/${f.fileId}/versions/${v.versionInfo.id}/restore`)) }),
      current ? null : el("button", { type: "button", className: "danger", textContent: "Delete", ariaLabel: `Delete ${v.versionInfo.name}`,
        onclick: () => act(() => api("DELETE", `/v1/files/${f.fileId}/versions/${v.versionInfo.id}`)) }));
  }));
}

async function renderEmbedded(f) {
  try {
    const m = await api("GET", `/v1/files/${encodeURIComponent(f.fileId)}/metadata`);
    $("embedded").textContent = JSON.stringify(m, null, 2);
  } catch (e) {
    $("embedded").textContent = e.message;
  }
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
  const img = $("preview-img");
  if (img) img.src = params.length ? url : `${urlEndpoint}/tr:w-600${encodePath(f.filePath)}`;
  return url;
}
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
  let customMetadata;
  try {
    customMetadata = JSON.parse($("meta-input").value || "{}");
  } catch {
    $("file-error").textContent = "Custom metadata must be a JSON object.";
    return;
  }
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

browse();

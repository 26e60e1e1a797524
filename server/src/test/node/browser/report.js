// Shared by the test pages: the settings the test put into the page, a generated test image, the transformed
// preview, and the report that browser-page.mjs waits for (window.__upfront).
export const config = window.UPFRONT_TEST;

/** A PNG drawn on a canvas: a gradient, or random noise (which PNG cannot compress: a large file). */
export function testImage(width, height, noise = false) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (noise) {
    const pixels = ctx.createImageData(width, height);
    for (let i = 0; i < pixels.data.length; i += 65536) {
      crypto.getRandomValues(pixels.data.subarray(i, Math.min(i + 65536, pixels.data.length)));
    }
    for (let i = 3; i < pixels.data.length; i += 4) pixels.data[i] = 255;
    ctx.putImageData(pixels, 0, 0);
  } else {
    const g = ctx.createLinearGradient(0, 0, width, height);
    g.addColorStop(0, "#0a5");
    g.addColorStop(1, "#fc3");
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, width, height);
  }
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

/** Shows src in an <img> and waits until the browser has decoded it. */
export async function preview(src) {
  const img = document.createElement("img");
  img.alt = "preview";
  img.src = src;
  document.body.append(img);
  try {
    await img.decode();
  } catch (e) {
    return { src, error: String(e) };
  }
  return { src, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight };
}

export function describeError(e) {
  return { name: e?.name, message: e?.message ?? String(e), status: e?.status, code: e?.code, help: e?.help };
}

export function finish(report) {
  window.__upfront = { done: true, ...report };
}

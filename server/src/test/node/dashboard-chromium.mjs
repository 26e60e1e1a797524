// Shared by the dashboard's scripts (dashboard-flow.mjs, dashboard-paint.mjs): a required environment variable, and
// the machine's Chromium (UPFRONT_CHROMIUM) launched headless without anything that phones home.
import { chromium } from "playwright-core";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

export const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
};

export const launchChromium = (timeout) =>
  chromium.launch({ executablePath: env("UPFRONT_CHROMIUM"), args: ARGS, headless: true, timeout });

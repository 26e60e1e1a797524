// Verifies webhook deliveries the way receivers do with ImageKit's Node SDKs: `client.webhooks.unwrap()` of
// "@imagekit/nodejs" 7.x (Standard Webhooks headers) and `verifyWebhookEvent()` of "imagekit" 6.x (`x-ik-signature`).
// Each delivery is also checked with one byte of its body changed, which both must refuse.
// Run by dev.upfront.webhooks.WebhookDeliveryTest; prints one JSON line.

import { readFileSync } from "node:fs";
import ImageKitV7 from "@imagekit/nodejs";
import ImageKitV6 from "imagekit";
import { env, installedVersion, runMain } from "./media-scenario.mjs";

const outcome = (verify) => {
  try {
    const event = verify();
    return { ok: true, type: event.type, id: event.id };
  } catch (e) {
    return { ok: false, error: String(e?.message ?? e) };
  }
};

runMain(async () => {
  const secret = env("UPFRONT_WEBHOOK_SECRET");
  const deliveries = JSON.parse(readFileSync(env("UPFRONT_DELIVERIES"), "utf8"));
  const v7 = new ImageKitV7({ privateKey: "private_unused", webhookSecret: "whsec_not_this_one" });
  const v6 = new ImageKitV6({ publicKey: "public_unused", privateKey: "private_unused", urlEndpoint: "http://127.0.0.1/" });
  const results = deliveries.map(({ body, headers }) => {
    const tampered = body.replace(/"type"/, '"tipe"');
    return {
      v7: outcome(() => v7.webhooks.unwrap(body, { headers, key: secret })),
      v6: outcome(() => v6.verifyWebhookEvent(body, headers["x-ik-signature"], secret).event),
      v7Tampered: outcome(() => v7.webhooks.unwrap(tampered, { headers, key: secret })),
      v6Tampered: outcome(() => v6.verifyWebhookEvent(tampered, headers["x-ik-signature"], secret).event),
      v7WrongKey: outcome(() => v7.webhooks.unwrap(body, { headers })),
    };
  });
  console.log(JSON.stringify({
    v7Version: installedVersion("@imagekit/nodejs"),
    v6Version: installedVersion("imagekit"),
    results,
  }));
});

/** The webhook bodies `helm-drift report` can send: a generic JSON document, or a Slack incoming-webhook message. */
export const WEBHOOK_FORMATS = ["json", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

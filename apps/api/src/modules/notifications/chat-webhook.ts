/**
 * Where a user's chat webhook may point. The server calls it, so it may only be the chat
 * service's own hosts (WEBHOOK_ALLOWED_HOSTS) over https on the default port, without
 * credentials of its own: never an address inside our network. Checked when the user saves it
 * and again when a reminder is posted (the allowed hosts may have changed since).
 */
export interface ChatWebhookPolicy {
  hosts: readonly string[];
  /** Tests only (WEBHOOK_ALLOW_HTTP): plain http and a port, for a local server on an allowed host. */
  allowHttp?: boolean;
}

/** A checker: the normalized URL when it may be called, else undefined. */
export function chatWebhookCheck(policy: ChatWebhookPolicy) {
  const hosts = new Set(policy.hosts.map((h) => h.trim().toLowerCase()).filter(Boolean));
  const check = (value: string): string | undefined => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return undefined;
    }
    const schemeOk = url.protocol === 'https:' || (policy.allowHttp === true && url.protocol === 'http:');
    if (!schemeOk || url.username || url.password || (url.port && !policy.allowHttp)) return undefined;
    return hosts.has(url.hostname) ? url.toString() : undefined;
  };
  return Object.assign(check, { hosts: [...hosts] });
}

export type ChatWebhookCheck = ReturnType<typeof chatWebhookCheck>;

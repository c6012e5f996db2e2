import juice from 'juice';
import type { OutboundMailRow } from './mail.repository.js';
import type { OutboxItemDto, OutboxMailDto } from './mail.schemas.js';

/** What a mail says, before the layout: every mail is a heading, paragraphs and one action. */
export interface MailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  /** A path of the web app (`/ad-requests/…`), made absolute with PUBLIC_URL. */
  action: { label: string; path: string };
  /** Why the recipient gets it, shown in the footer ("You get this because …"). */
  reason: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
body { margin: 0; padding: 0; background: #f4f5f7; font-family: -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #212529; }
.wrap { width: 100%; background: #f4f5f7; padding: 24px 0; }
.card { max-width: 560px; margin: 0 auto; background: #ffffff; border-radius: 8px; border: 1px solid #dee2e6; }
.brand { padding: 16px 24px; border-bottom: 1px solid #dee2e6; font-weight: 700; font-size: 18px; color: #0d6efd; }
.content { padding: 24px; font-size: 15px; line-height: 1.5; }
h1 { font-size: 20px; margin: 0 0 16px 0; }
p { margin: 0 0 12px 0; }
.button { display: inline-block; margin-top: 8px; padding: 10px 18px; background: #0d6efd; color: #ffffff; text-decoration: none; border-radius: 6px; font-weight: 600; }
.footer { padding: 16px 24px; border-top: 1px solid #dee2e6; font-size: 12px; color: #6c757d; }
.footer a { color: #6c757d; }
`;

/**
 * The one layout of every mail: an HTML part with its CSS inlined (juice: clients such as Gmail
 * and Outlook drop <style> blocks) and a plain-text part saying the same, with absolute links.
 */
export function renderMail(
  content: MailContent,
  links: { publicUrl: string; settingsPath: string; unsubscribePath?: string },
): RenderedMail {
  const base = links.publicUrl.replace(/\/+$/, '');
  const actionUrl = `${base}${content.action.path}`;
  const settingsUrl = `${base}${links.settingsPath}`;
  // A page of the web app that asks before it unsubscribes: a GET never changes anything (link
  // scanners open every link of a mail).
  const unsubscribeUrl = links.unsubscribePath ? `${base}${links.unsubscribePath}` : undefined;
  const html = juice(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(content.subject)}</title><style>${CSS}</style></head>
<body><div class="wrap"><div class="card">
<div class="brand">IESCP</div>
<div class="content">
<h1>${escape(content.heading)}</h1>
${content.paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
<p><a class="button" href="${escape(actionUrl)}">${escape(content.action.label)}</a></p>
</div>
<div class="footer">${escape(content.reason)} <a href="${escape(settingsUrl)}">Choose which emails you get</a>${
    unsubscribeUrl ? ` · <a href="${escape(unsubscribeUrl)}">Unsubscribe from these emails</a>` : ''
  }.</div>
</div></div></body></html>`);
  const text = [
    content.heading,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    `${content.action.label}: ${actionUrl}`,
    '',
    '--',
    `${content.reason} Choose which emails you get: ${settingsUrl}`,
    ...(unsubscribeUrl ? [`Unsubscribe from these emails: ${unsubscribeUrl}`] : []),
    '',
  ].join('\n');
  return { subject: content.subject, html, text };
}

export function presentOutboxItem(row: OutboundMailRow): OutboxItemDto {
  return {
    id: row.id,
    to: row.to,
    subject: row.subject,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

export function presentOutboxMail(row: OutboundMailRow): OutboxMailDto {
  return { ...presentOutboxItem(row), html: row.html, text: row.text, headers: row.headers };
}

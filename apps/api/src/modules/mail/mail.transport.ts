import nodemailer, { type Transporter } from 'nodemailer';

/** What a mail looks like on the wire (the outbox row holds the same). */
export interface WireMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export type MailState = 'outbox' | 'up' | 'down';

/** nodemailer's codes for "could not talk to the server" (as opposed to a refused message). */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'ETLS']);

export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

export interface MailTransport {
  readonly mode: 'outbox' | 'smtp';
  /** Hands the mail to the SMTP server; throws what the server or the connection said. */
  send(mail: WireMail): Promise<void>;
  /**
   * The current state: 'outbox' without SMTP_URL; otherwise 'down' while the last contact with
   * the server (the start-up check or a delivery) failed to connect, asked again before
   * answering so a server that came back says 'up' (never latched).
   */
  state(): Promise<MailState>;
  /** Asks the server once (start-up check); false when it cannot be reached. */
  verify(): Promise<boolean>;
  close(): void;
}

/**
 * The SMTP server of SMTP_URL (pooled connections; `smtps://` is TLS from the first byte,
 * `smtp://` upgrades with STARTTLS when the server offers it), or none: the local outbox, where
 * the recorded row is all there is.
 */
export function createMailTransport(smtpUrl: string | undefined): MailTransport {
  if (!smtpUrl) {
    return {
      mode: 'outbox',
      send: async () => undefined,
      state: async () => 'outbox',
      verify: async () => true,
      close: () => undefined,
    };
  }
  const transporter: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 3,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  let down = false;

  async function verify(): Promise<boolean> {
    try {
      await transporter.verify();
      down = false;
    } catch {
      down = true;
    }
    return !down;
  }

  return {
    mode: 'smtp',
    async send(mail) {
      try {
        await transporter.sendMail(mail);
        down = false;
      } catch (error) {
        if (isConnectionError(error)) down = true;
        throw error;
      }
    },
    async state() {
      if (down) await verify();
      return down ? 'down' : 'up';
    },
    verify,
    close: () => transporter.close(),
  };
}

import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/db/client.js';

/**
 * Every test file gets a database of its own, but running all migrations for each one was most
 * of the suite's time. The global setup migrates one template per run; each file then starts
 * from a copy of it: a copied PGlite data directory, or `CREATE DATABASE … TEMPLATE` on the
 * PostgreSQL server. The files still migrate their copy, which finds nothing to do.
 */
export type DatabaseTemplate =
  | { kind: 'pglite'; /** The run's directory; the migrated data directory is `<root>/template`. */ root: string }
  | { kind: 'postgres'; /** The template database on the server named by DATABASE_URL. */ name: string };

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTemplate: DatabaseTemplate | null;
  }
}

/** RAM-backed where the machine has it: the copies are written once per file and thrown away. */
function scratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
}

/** Migrates a template for this run; returns it and how to remove it. */
export async function createTemplate(
  serverUrl: string | undefined,
): Promise<{ template: DatabaseTemplate; remove: () => Promise<void> }> {
  if (serverUrl) {
    const name = `iescp_template_${randomBytes(6).toString('hex')}`;
    await adminQuery(serverUrl, `create database ${name}`);
    const database = openDatabase({ databaseUrl: databaseUrl(serverUrl, name), dataDir: 'unused', poolSize: 1 });
    try {
      await database.migrate();
    } finally {
      // A template must have no connections left when the files copy it.
      await database.close();
    }
    return {
      template: { kind: 'postgres', name },
      remove: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
    };
  }
  const root = mkdtempSync(path.join(scratchRoot(), 'iescp-test-'));
  const database = openDatabase({ dataDir: path.join(root, 'template') });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  return { template: { kind: 'pglite', root }, remove: async () => rmSync(root, { recursive: true, force: true }) };
}

/** A private copy of the PGlite template: the `dataDir` to open, and how to delete it. */
export function copyPgliteTemplate(template: Extract<DatabaseTemplate, { kind: 'pglite' }>): {
  dataDir: string;
  remove: () => void;
} {
  const copies = path.join(template.root, 'copies');
  mkdirSync(copies, { recursive: true });
  const dataDir = mkdtempSync(path.join(copies, 'db-'));
  // openDatabase keeps PGlite's files in `<dataDir>/pglite`.
  cpSync(path.join(template.root, 'template', 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on the server's maintenance connection (create/drop database). */
export async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

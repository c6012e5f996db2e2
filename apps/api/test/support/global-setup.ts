import type { TestProject } from 'vitest/node';
import { createTemplate } from './database-template.js';

/** Migrates one template database per run (see database-template.ts); removed when the run ends. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { template, remove } = await createTemplate(process.env.DATABASE_URL);
  project.provide('databaseTemplate', template);
  return remove;
}

import { FormatRegistry } from '@sinclair/typebox';

/**
 * TypeBox's Value checker knows no formats by itself; Fastify's AJV has ajv-formats. The few
 * formats config.ts uses are registered here with the same meaning.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (value) => EMAIL.test(value));

import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library defaults (OWASP: 19 MiB, 2 iterations, 1 lane). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A real hash of a random string: verifying against it costs what a real check costs, so a
// login for an unknown email takes as long as one with a wrong password.
const DUMMY_HASH = hash(`dummy-${Math.random()}`);

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash ?? (await DUMMY_HASH), password);
  } catch {
    return false;
  }
}

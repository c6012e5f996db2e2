import { hash, verify } from '@node-rs/argon2';
import { passwordProblem, type PasswordContext } from '@iescp/shared/passwords';
import { validationFailed } from './errors.js';

export { passwordProblem };

/**
 * Refuses a password a person is about to set: 400 `validation_failed` with an `errors` entry
 * at `/password` saying why. The rule itself is `passwordProblem` in `@iescp/shared/passwords`,
 * which the sign-up form also uses for its strength meter.
 */
export function assertAcceptablePassword(password: string, context: PasswordContext): void {
  const problem = passwordProblem(password, context);
  if (problem) throw validationFailed([{ path: '/password', message: problem }], problem);
}

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

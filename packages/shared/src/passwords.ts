import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { LIMITS } from './limits.js';

/**
 * The password rule, shared by the API (which enforces it) and the sign-up form (which shows
 * it as a strength meter). Kept out of the package index (`@iescp/shared/passwords`) because
 * the estimator's dictionaries are large: the web loads them lazily, on the sign-up page only.
 */

/** zxcvbn scores run 0–4; below this a password is refused as too easy to guess. */
export const MIN_PASSWORD_SCORE = 2;

export interface PasswordContext {
  email?: string | undefined;
  displayName?: string | undefined;
}

export interface PasswordStrength {
  /** 0 (guessable in seconds) to 4 (very strong). */
  score: 0 | 1 | 2 | 3 | 4;
  /** Why the password is refused, or null when it is acceptable. */
  problem: string | null;
  /** A short label for a meter, e.g. "Weak — add another word". */
  label: string;
}

const zxcvbn = new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });

// zxcvbn-ts returns translation keys; these are the warnings worth a sentence of their own.
const WARNINGS: Record<string, string> = {
  topTen: 'This is one of the most used passwords.',
  topHundred: 'This is a very commonly used password.',
  common: 'This is a commonly used password.',
  similarToCommon: 'This is too close to a commonly used password.',
  straightRow: 'A row of keys on the keyboard is easy to guess.',
  keyPattern: 'A short keyboard pattern is easy to guess.',
  simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
  extendedRepeat: 'Repeated patterns like "abcabc" are easy to guess.',
  sequences: 'Sequences like "abc" or "6543" are easy to guess.',
  recentYears: 'Recent years are easy to guess.',
  dates: 'Dates are easy to guess.',
  wordByItself: 'A single word is easy to guess.',
  namesByThemselves: 'Names on their own are easy to guess.',
  commonNames: 'Common names are easy to guess.',
  userInputs: 'The password must not contain your email or name.',
};

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

/** The parts of the person's own details a password may not contain (case-insensitive). */
function personalParts(context: PasswordContext): string[] {
  const email = context.email?.trim().toLowerCase() ?? '';
  const local = email.split('@')[0] ?? '';
  const name = context.displayName?.trim().toLowerCase() ?? '';
  // Very short parts ("jo", "a@x.io") would refuse half of all passwords; the estimator still
  // scores them down through its user inputs.
  return [email, local, name].filter((part) => part.length >= 3);
}

/**
 * Scores a password for this person and says why it is refused, if it is. The one place the
 * rule lives: blank, too short or long, containing the email (or its local part) or the
 * display name, or a zxcvbn score below {@link MIN_PASSWORD_SCORE}.
 */
export function passwordStrength(password: string, context: PasswordContext = {}): PasswordStrength {
  if (password.trim() === '') return refuse(0, 'The password cannot be blank.', 'type a password');
  const parts = personalParts(context);
  const result = zxcvbn.check(password.slice(0, LIMITS.password.max), parts);
  const score = result.score;
  if (password.length < LIMITS.password.min)
    return refuse(score, `Use at least ${LIMITS.password.min} characters.`, 'make it longer');
  if (password.length > LIMITS.password.max)
    return refuse(score, `Use at most ${LIMITS.password.max} characters.`, 'make it shorter');
  const lower = password.toLowerCase();
  if (parts.some((part) => lower.includes(part)))
    return refuse(score, WARNINGS.userInputs!, 'leave out your email or name');
  if (score < MIN_PASSWORD_SCORE) {
    const why = (result.feedback.warning && WARNINGS[result.feedback.warning]) || 'This password is easy to guess.';
    return refuse(score, `${why} Add another word or two.`, 'add another word');
  }
  return { score, problem: null, label: LABELS[score] };
}

/** A refused password shows at most "Weak" on the meter, whatever the estimator thought. */
function refuse(score: PasswordStrength['score'], problem: string, hint: string): PasswordStrength {
  const shown = Math.min(score, MIN_PASSWORD_SCORE - 1) as 0 | 1;
  return { score: shown, problem, label: `${LABELS[shown]} — ${hint}` };
}

/** Why this password is refused for this person, or null when it is acceptable. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  return passwordStrength(password, context).problem;
}

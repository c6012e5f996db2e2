import { describe, expect, it } from 'vitest';
import { passwordProblem, passwordStrength } from './passwords.js';

describe('passwordStrength', () => {
  it('refuses blank passwords, however long', () => {
    expect(passwordProblem(' '.repeat(12))).toMatch(/blank/);
  });

  it('refuses the email, its local part or the display name inside the password', () => {
    const context = { email: 'maria.lopez@example.test', displayName: 'Quentin Blakeley' };
    expect(passwordProblem('MARIA.LOPEZ-2024', context)).toMatch(/email or name/);
    expect(passwordProblem('maria.lopez@example.test', context)).toMatch(/email or name/);
    expect(passwordProblem('quentin blakeley rocks', context)).toMatch(/email or name/);
  });

  it('refuses common passwords with a reason and a hint for the meter', () => {
    const weak = passwordStrength('password123');
    expect(weak.problem).toMatch(/commonly used/);
    expect(weak.label).toBe('Very weak — add another word');
    expect(weak.score).toBeLessThan(2);
  });

  it('accepts the demo and test passwords', () => {
    for (const password of ['demo-password', 'correct-horse-battery', 'a-long-creator-password'])
      expect(passwordProblem(password, { email: 'someone@example.test', displayName: 'Some One' })).toBeNull();
  });
});

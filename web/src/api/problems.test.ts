import { describe, expect, it } from 'vitest';
import { ApiError, describeProblem } from './problems';

describe('problem details as messages', () => {
  it('lists validation errors as sentences', () => {
    const message = describeProblem(400, {
      title: 'The request is invalid',
      errors: { amount: ['amount must be greater than 0.'], idempotencyKey: ['Idempotency-Key must be 1-200 printable ASCII characters'] },
    });

    expect(message).toBe('Amount must be greater than 0. Idempotency-Key must be 1-200 printable ASCII characters.');
  });

  it('prefers the detail over the title', () => {
    expect(describeProblem(404, { title: 'Not found', detail: 'No such account.' })).toBe('No such account.');
  });

  it('says what a bare status title means', () => {
    expect(describeProblem(401, { title: 'Unauthorized', status: 401 })).toBe('Your session is no longer valid.');
    expect(describeProblem(409, { title: 'conflict' })).toBe('Conflict.');
  });

  it('falls back to a plain sentence by status', () => {
    expect(describeProblem(503)).toBe('The service is temporarily unavailable. Please try again.');
    expect(describeProblem(418)).toBe('The request failed (HTTP 418).');
  });

  it('treats no answer and an unavailable service as worth retrying, and a refusal as not', () => {
    expect(new ApiError('', 0).transient).toBe(true);
    expect(new ApiError('', 502).transient).toBe(true);
    expect(new ApiError('', 400).transient).toBe(false);
    expect(new ApiError('', 422).transient).toBe(false);
  });
});

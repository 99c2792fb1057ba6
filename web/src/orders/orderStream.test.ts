import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './orderStream';

describe('reconnecting', () => {
  it('starts near the server hint and backs off exponentially', () => {
    expect(reconnectDelay(1, 2000, () => 1)).toBe(2000);
    expect(reconnectDelay(2, 2000, () => 1)).toBe(4000);
    expect(reconnectDelay(3, 2000, () => 1)).toBe(8000);
  });

  it('never waits longer than 15 s, and spreads clients with jitter', () => {
    expect(reconnectDelay(10, 2000, () => 1)).toBe(15_000);
    expect(reconnectDelay(10, 2000, () => 0)).toBe(7500);
  });
});

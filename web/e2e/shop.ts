import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';
import { formatMoney } from '../src/orders/wording';
import { sessionKey } from '../src/session/session';

const screenshots = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));

/** The SPA as a user sees it: found by role and label, as a screen reader would. */
export class Shop {
  constructor(readonly page: Page) {}

  get topUpButton() {
    return this.page.getByRole('button', { name: 'Top up 100' });
  }

  get createOrderButton() {
    return this.page.getByRole('button', { name: 'Create order' });
  }

  get logOutButton() {
    return this.page.getByRole('button', { name: 'Log out' });
  }

  get balance() {
    return this.page.getByTestId('balance');
  }

  get userId() {
    return this.page.getByTestId('user-id');
  }

  get connection() {
    return this.page.getByRole('status').filter({ hasText: 'Live updates' });
  }

  get rows() {
    return this.page.locator('.orders-table tbody tr');
  }

  get noOrders() {
    return this.page.getByTestId('no-orders');
  }

  async open(): Promise<this> {
    await this.page.goto('/');
    await this.expectLive();
    await expect(this.userId).toHaveText(/^[0-9a-f-]{36}$/);
    await expect(this.balance).toHaveText(/^\$/);
    return this;
  }

  async expectLive() {
    await expect(this.connection).toHaveAttribute('data-state', 'live');
  }

  /** Tops up `times` × 100, one click after the other, and waits for the balance to show it. */
  async topUp(times: number, expectedBalance: string) {
    for (let i = 0; i < times; i++) {
      await expect(this.topUpButton).toBeEnabled();
      await this.topUpButton.click();
    }
    await expect(this.balance).toHaveText(expectedBalance);
  }

  /** Tops up through the API (for tests about something else than the button); the balance shows it on the next read. */
  async fund(amount: number) {
    const { userId, token } = await this.session();
    const response = await this.page.request.post(`/payments-api/accounts/${userId}/topup`, {
      headers: { Authorization: `Bearer ${token}` },
      data: { amount },
    });
    expect(response.status()).toBe(200);
  }

  /** Creates an order and returns its row, found by the order's id (it is at the top when created). */
  async createOrder() {
    const before = await this.rows.count();
    await expect(this.createOrderButton).toBeEnabled();
    await this.createOrderButton.click();
    await expect(this.rows).toHaveCount(before + 1);
    return this.row((await this.rows.first().getAttribute('data-order-id')) ?? '');
  }

  row(orderId: string) {
    return this.page.locator(`.orders-table tbody tr[data-order-id="${orderId}"]`);
  }

  async screenshot(name: string) {
    mkdirSync(screenshots, { recursive: true });
    await this.page.mouse.move(0, 0); // no hover effect in the picture
    await this.page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true, animations: 'disabled' });
  }

  /** Marks the document, so a test can show that it was never reloaded. */
  async markDocument() {
    await this.page.evaluate(() => Object.assign(window, { e2eMark: true }));
  }

  async expectSameDocument() {
    expect(await this.page.evaluate(() => (window as unknown as { e2eMark?: boolean }).e2eMark)).toBe(true);
  }

  /** The connection indicator's states from now on, as recorded in the page. */
  async recordConnectionStates() {
    await this.page.evaluate(() => {
      const indicator = document.querySelector('[role="status"][data-state]')!;
      const seen: string[] = [indicator.getAttribute('data-state') ?? ''];
      Object.assign(window, { e2eStates: seen });
      new MutationObserver(() => seen.push(indicator.getAttribute('data-state') ?? '')).observe(indicator, { attributes: true });
    });
  }

  async connectionStates(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { e2eStates: string[] }).e2eStates);
  }

  async session(): Promise<{ userId: string; token: string }> {
    return this.page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as { userId: string; token: string }, sessionKey);
  }
}

export const amountOf = async (row: ReturnType<Page['locator']>) =>
  Number((await row.locator('td[data-label="Amount"]').innerText()).replace(/[$,]/g, ''));

/** An amount as the SPA shows it. */
export const money = (n: number) => formatMoney(n, 'USD');

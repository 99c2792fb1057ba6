import { readFileSync } from 'node:fs';
import { expect, type Browser } from '@playwright/test';

/** The dashboard's login link, as scripts/run.sh printed it for the topology this suite started. */
export function dashboardLogin(): string | undefined {
  const runLog = process.env.E2E_LOGS ? `${process.env.E2E_LOGS}run.log` : '';
  return runLog ? /dashboard (http:\/\/\S+\/login\?t=\w+)/.exec(readFileSync(runLog, 'utf8'))?.[1] : undefined;
}

/** Starts a resource of the topology again (a killed replica, say) as a developer would: its Start in the dashboard. */
export async function startFromDashboard(browser: Browser, resource: string) {
  const login = dashboardLogin();
  if (!login) throw new Error('no dashboard: the topology was not started by this suite');
  const page = await browser.newPage();
  try {
    await page.goto(login);
    const row = page.getByRole('row').filter({ has: page.getByRole('gridcell', { name: `Executable: ${resource}`, exact: true }) });
    await row.getByRole('button', { name: 'Start resource' }).click();
    await expect(row.getByRole('button', { name: 'Stop resource' })).toBeVisible({ timeout: 30_000 });
  } finally {
    await page.close();
  }
}

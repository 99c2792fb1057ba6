import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

// Debian's Chromium (the test tool's own browser download is not available here), flags as in notes/machine.md.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  // Generous: a payment crosses Kafka twice, and the machines running this are small and shared.
  expect: { timeout: 30_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['junit', { outputFile: `${artifacts}test-results/web-e2e.xml` }]],
  outputDir: `${artifacts}e2e`,
  // Starts scripts/run.sh on free ports (or uses E2E_BASE_URL) and sets E2E_BASE_URL for the tests.
  globalSetup: './e2e/topology.setup.ts',
  use: {
    baseURL: process.env.E2E_BASE_URL,
    launchOptions: chromium,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'app', testMatch: /app\.spec\.ts/ },
    { name: 'dashboard', testMatch: /dashboard\.spec\.ts/, dependencies: ['app'] },
    // Kills orders replicas, so it runs after everything else.
    { name: 'resilience', testMatch: /resilience\.spec\.ts/, dependencies: ['app', 'dashboard'] },
  ],
});

/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the APIs come from a gateway started with scripts/run.sh; in production the gateway serves dist/.
const gateway = process.env.SHOP_GATEWAY ?? 'http://127.0.0.1:8080';
const proxy = {
  '/orders-api': { target: gateway, changeOrigin: true },
  '/payments-api': { target: gateway, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: { sourcemap: true },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});

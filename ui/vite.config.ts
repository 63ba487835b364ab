/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Tauri serves the built files from its own protocol: default base, output in ui/dist.
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.ts'],
  },
});

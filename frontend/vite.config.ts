import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The app is served by Wails (from frontend/dist in builds, or by the dev
// binary's asset server in e2e runs), so the build is a plain static one.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: 'happy-dom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});

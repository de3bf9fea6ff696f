import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The message catalogues live in shared/locales (read by the Rust side too): allow Vite to read
// them from outside this folder.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true, fs: { allow: ['..', '../../shared/locales'] } },
  build: { target: 'safari15', outDir: 'dist', emptyOutDir: true },
  test: { environment: 'happy-dom', include: ['tests/**/*.test.ts'] },
});

// GraphiQL from the portal's own assets (dist/explorer/): the server shows it at /graphql to
// browsers in development only. Monaco's workers are bundled too: no request leaves the portal.
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve(__dirname, 'explorer'),
  base: '/explorer/',
  plugins: [react()],
  build: {
    outDir: resolve(__dirname, 'dist/explorer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      // graphiql's "use no memo" directives: harmless in a bundle, noisy in the build log
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});

/// <reference types="vitest/config" />
// The app build (dist/): the React app with its service worker and web app manifest. GraphiQL
// is a second, separate entry (vite.explorer.config.ts, into dist/explorer/), so its editor
// never enters the app shell or the service worker's precache.
import { formatDocument, stringifyDocument } from '@urql/core';
import type { DocumentNode } from 'graphql';
import { createHash } from 'node:crypto';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import * as documents from './src/gql/graphql';
import { earlyRequestsScript, HOME_EARLY_OPERATIONS, SESSION_KEY } from './src/app/early';
import { homeRenderScript } from './src/app/home-render';

const API = process.env.PORTAL_URL ?? 'http://127.0.0.1:8000';

/**
 * index.html starts the home's first queries itself (src/app/early.ts): the data then travels
 * while the app's script downloads. The documents are printed as the app's client prints them,
 * and sent by the hash its persisted exchange sends (src/app/persisted.ts).
 */
function earlyRequests(): Plugin {
  const operations = () =>
    HOME_EARLY_OPERATIONS.map((op) => {
      const document = (documents as Record<string, unknown>)[`${op.operationName}Document`] as DocumentNode | undefined;
      if (!document) throw new Error(`early request: no document for ${op.operationName}`);
      const query = stringifyDocument(formatDocument(document));
      return { ...op, query, hash: createHash('sha256').update(query).digest('hex') };
    });
  return {
    name: 'kinerja-early-requests',
    apply: 'build',
    // The same operations for the server, which embeds their answers in `GET /` for a valid
    // document cookie (portal/home_document.py reads dist/home-operations.json).
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'home-operations.json', source: JSON.stringify(operations(), null, 1) });
    },
    // The early script right after the title: before the stylesheet, which an inline script
    // would wait for. The home's renderer right after the root it draws into.
    transformIndexHtml(html) {
      if (!html.includes('</title>')) throw new Error('early request: index.html has no <title>');
      const root = '<div id="root"></div>';
      if (!html.includes(root)) throw new Error('home renderer: index.html has no empty #root');
      return html
        .replace('</title>', `</title>\n    <script>${earlyRequestsScript(operations().map(({ operationName, hash, variables }) => ({ operationName, hash, variables })), SESSION_KEY)}</script>`)
        .replace(root, `${root}\n    <script>${homeRenderScript()}</script>`);
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    earlyRequests(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: null, // registered in src/main.tsx: no inline script, so a strict CSP holds
      includeAssets: ['icons/*.svg', 'icons/*.png'],
      manifest: {
        id: '/',
        name: 'Kinerja ASN Tangerang Selatan',
        short_name: 'Kinerja Tangsel',
        description: 'Catat aktivitas harian, lihat capaian SKP, umpan balik, dan pelatihan ASN Kota Tangerang Selatan.',
        lang: 'id',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#f6f7f4',
        theme_color: '#0b5d4b',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        globIgnores: ['explorer/**'],
        // Client routes open the cached shell; the API and the server's own pages never do.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/graphql/, /^\/healthz/, /^\/exports\//, /^\/documents\//, /^\/reports\//, /^\/verifikasi\//, /^\/adoption\//, /^\/api\//, /^\/explorer\//],
        cleanupOutdatedCaches: true,
        // Web Push: the `push` and `notificationclick` handlers (public/push-sw.js)
        importScripts: ['/push-sw.js'],
      },
    }),
  ],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: {
    // the app imports the contract's enum labels (../graphql/enum-labels.json)
    fs: { allow: ['.', '../graphql'] },
    proxy: { '/graphql': { target: API, ws: true, changeOrigin: false } },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { APP_THEME_COLOR } from './src/theme/brand.ts';

const serverUrl = process.env.MAKEPLUS_SERVER_URL ?? 'http://localhost:8080';
/** Served by the sync server, never by the shell: proxied in dev, never answered by the service worker. */
const serverPaths = ['/api', '/sync', '/docs', '/health'];

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // A new version waits until the person accepts it (a cashier mid-sale must not be reloaded).
      registerType: 'prompt',
      injectRegister: false,
      // public/ is precached by globPatterns below; listing the manifest icons again would duplicate them.
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'MakePlus',
        short_name: 'MakePlus',
        description:
          "Opérations d'événements hors ligne : contrôle des badges, caisse, exposants, programme et console organisateur.",
        lang: 'fr',
        dir: 'ltr',
        theme_color: APP_THEME_COLOR,
        background_color: '#f5f6fa',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        categories: ['business', 'productivity'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The web manifest is added by the plugin itself.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff2,wasm}'],
        // Scanner and PDF libraries make large chunks; they must be precached too or the app breaks offline.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: serverPaths.map((p) => new RegExp(`^${p}(/|$)`)),
        cleanupOutdatedCaches: true,
        // On first install, take control at once so the app works offline without a second visit.
        // Later versions still wait for the person's "reload" (registerType: 'prompt').
        clientsClaim: true,
        // Event files (programme and guide PDFs, logos): a file URL never changes content (a new
        // upload gets a new URL), so the first copy is kept and served offline. Same cache as the
        // participant's documents card (participantApp/DocumentsCard.tsx), which fills it ahead.
        runtimeCaching: [
          {
            urlPattern: /\/api\/v1\/files\/[0-9a-f-]{36}$/,
            handler: 'CacheFirst',
            method: 'GET',
            options: {
              cacheName: 'makeplus-documents',
              cacheableResponse: { statuses: [200] },
              expiration: { maxEntries: 60, purgeOnQuotaError: true },
            },
          },
        ],
      },
    }),
  ],
  server: {
    proxy: Object.fromEntries(serverPaths.map((p) => [p, { target: serverUrl, changeOrigin: false, ws: true }])),
  },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
});

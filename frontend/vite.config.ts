// Vite build of the map page: relative base and a /static asset prefix, so the Rust binary serves it beside /tiles and /api.
import {defineConfig} from 'vite';

export default defineConfig({
    base: './',
    build: {
        outDir: 'dist',
        assetsDir: 'static',
        emptyOutDir: true,
        // maplibre-gl alone is ~1 MB minified; a warning about it tells us nothing.
        chunkSizeWarningLimit: 1600,
        // Fonts and the worker are fetched by URL; never inline them as data: URIs.
        assetsInlineLimit: 0,
    },
    server: {
        // `npm run dev` against a running backend: `ONEMAP_URL=http://127.0.0.1:3000 npm run dev`.
        proxy: Object.fromEntries(['/tiles', '/api', '/healthz', '/events', '/ogc'].map(p => [p, process.env.ONEMAP_URL ?? 'http://127.0.0.1:3000'])),
    },
});

// Vite build of the seven pages (cockpit /, wall display /wall/, phone /m/, staff desk /desk/, administration /admin/, selection hall screen /hall/, public disclosure served at /public/ from disclosure/): relative base and a /static asset prefix, so the Rust binary serves them beside /tiles and /api.
import {fileURLToPath} from 'node:url';
import {defineConfig} from 'vite';

const page = (p: string) => fileURLToPath(new URL(p, import.meta.url));

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
        rollupOptions: {
            input: {
                cockpit: page('./index.html'), wall: page('./wall/index.html'), m: page('./m/index.html'), desk: page('./desk/index.html'),
                admin: page('./admin/index.html'),
                // the selection hall's big screen (选房大屏), public
                hall: page('./hall/index.html'),
                // The public page's folder cannot be named public/ (Vite's static folder); the backend serves dist/disclosure/ at /public/.
                disclosure: page('./disclosure/index.html'),
            },
            // The two big libraries in chunks of their own: the phone view, the desk and the public page load neither, and an app change keeps them cached.
            output: {
                manualChunks: id => (/node_modules\/maplibre-gl\//.test(id) ? 'maplibre'
                    : /node_modules\/(echarts|zrender|tslib)\//.test(id) ? 'echarts' : undefined),
            },
        },
    },
    server: {
        // `npm run dev` against a running backend: `ONEMAP_URL=http://127.0.0.1:3000 npm run dev`.
        proxy: Object.fromEntries(['/tiles', '/api', '/healthz', '/events', '/ogc'].map(p => [p, process.env.ONEMAP_URL ?? 'http://127.0.0.1:3000'])),
    },
});

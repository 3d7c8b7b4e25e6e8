import { fileURLToPath } from "node:url";
import { defineConfig, type Connect, type Plugin } from "vite";

// Where `npm run dev` sends Connect calls (POST /clinic.<pkg>.<Service>/<Method>)
// and the login endpoints (/auth/login, /auth/logout, /auth/me).
const gateway = process.env.CLINIC_GATEWAY ?? "http://127.0.0.1:8080";
const proxy = {
  "^/clinic\\..*": { target: gateway, changeOrigin: false },
  "^/auth/.*": { target: gateway, changeOrigin: false },
};

// The staff app routes on the client (/staff/patients/<id>): in dev and
// preview, serve staff/index.html for any /staff/... path that is not a file.
// The gateway does the same in production.
function staffHistoryFallback(): Plugin {
  const rewrite: Connect.NextHandleFunction = (req, _res, next) => {
    const url = req.url ?? "";
    const path = url.split("?")[0];
    if (
      (req.method === "GET" || req.method === "HEAD") &&
      (path === "/staff" || path.startsWith("/staff/")) &&
      !/\.[a-z0-9]+$/i.test(path)
    ) {
      req.url = "/staff/index.html" + url.slice(path.length);
    }
    next();
  };
  return {
    name: "staff-history-fallback",
    configureServer(server) {
      server.middlewares.use(rewrite);
    },
    configurePreviewServer(server) {
      server.middlewares.use(rewrite);
    },
  };
}

export default defineConfig({
  base: "/",
  plugins: [staffHistoryFallback()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The gateway's Content-Security-Policy allows no inline script or style:
    // no inline module-preload polyfill (scripts/check-dist.mjs checks the pages),
    // and no imported asset inlined as a data: URL.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL("index.html", import.meta.url)),
        book: fileURLToPath(new URL("book.html", import.meta.url)),
        manage: fileURLToPath(new URL("manage.html", import.meta.url)),
        offer: fileURLToPath(new URL("offer.html", import.meta.url)),
        unsubscribe: fileURLToPath(new URL("unsubscribe.html", import.meta.url)),
        staff: fileURLToPath(new URL("staff/index.html", import.meta.url)),
      },
      output: {
        // What the public pages (index.html, book.html, manage.html, offer.html) share and
        // the staff app does not — the site's stylesheet and the BookingService
        // client — is one chunk, public-<hash>.js and .css (its dependencies stay
        // in rpc). The booking page's logic that manage.html reuses
        // (src/public/booking-model.ts) is a chunk of its own, booking-model-<hash>.js.
        codeSplitting: {
          groups: [
            {
              name: "public",
              test: /[\\/]src[\\/](public[\\/]site\.css|gen[\\/]clinic[\\/]booking[\\/])/,
              includeDependenciesRecursively: false,
            },
          ],
        },
        // The code all pages use (the Connect and protobuf runtime, the generated
        // clients they all call, src/common/) is one chunk, named for what it is
        // rather than after whichever module the bundler saw first. (The
        // LocationService client, which manage.html does not call, is in
        // appointments_service_pb-<hash>.js.)
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some((id) => id.includes("/node_modules/@connectrpc/"))
            ? "assets/rpc-[hash].js"
            : "assets/[name]-[hash].js",
      },
    },
  },
  server: { proxy },
  preview: { proxy },
});

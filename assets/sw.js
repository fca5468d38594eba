// Planner's service worker: the app shell for installing and for an honest offline page. It never
// answers for live data: the API, Reflex's websocket and health routes, and every non-GET request
// always go to the network, so nothing stale is ever shown as if it were current.

// The build version comes from the registration URL (/sw.js?v=...), so each deployment installs a
// new worker with its own caches.
const VERSION = new URL(self.location.href).searchParams.get("v") || "unversioned";
const SHELL_CACHE = `planner-shell-${VERSION}`;
const ASSET_CACHE = `planner-assets-${VERSION}`;
const OFFLINE_PAGE = "/offline.html";
// What the offline page and the install prompt need. The app's own pages are not kept: without the
// server they cannot sign in or show data, so a failed navigation gets the offline page instead.
const SHELL = [
  OFFLINE_PAGE,
  "/offline.js",
  "/manifest.webmanifest",
  "/icons/icon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/icon-maskable-512.png",
  "/icons/apple-touch-icon-180.png",
];
const LIVE_PREFIXES = ["/api/", "/_event", "/ping", "/_health", "/_upload"];

self.addEventListener("install", (event) => {
  // `reload` skips the HTTP cache, so the shell is this deployment's and not an older copy.
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("planner-") && name !== SHELL_CACHE && name !== ASSET_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      // The first install takes over the open page at once; an update only activates after the
      // person chose "Reload" (see pwa.js).
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") {
    self.skipWaiting();
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (LIVE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) return;

  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_PAGE, { cacheName: SHELL_CACHE })));
  } else if (url.pathname.startsWith("/assets/")) {
    // Vite's build output: content-hashed names, so a cached copy is never out of date.
    event.respondWith(cacheFirst(request));
  } else if (SHELL.includes(url.pathname)) {
    // Not hashed: the network's copy while online, the installed one when offline.
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname, { cacheName: SHELL_CACHE })));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(ASSET_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

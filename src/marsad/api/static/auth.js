// Writes need the server's token (see marsad/api/security.py). `marsad serve` prints a dashboard
// link ending in #token=...: the fragment never reaches the server or its logs. It is kept for
// this tab only (sessionStorage) and removed from the address bar, so a shared view carries no token.
const KEY = "marsad-token";

export function captureToken() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
  history.replaceState(null, "", location.pathname + location.search);
}

// fetch() for a request that changes the store: same origin, with the token when the tab has one.
export function writeFetch(url, options = {}) {
  const headers = new Headers(options.headers || {});
  const token = sessionStorage.getItem(KEY);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return fetch(url, { ...options, headers, credentials: "same-origin" });
}

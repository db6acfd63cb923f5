// The Mindspace API as the extension uses it: sign-in, tokens in extension storage, refresh on 401.
// Only the background service worker imports this; pages talk to it with runtime messages.

const AUTH_KEY = "auth";

export async function getAuth() {
  const stored = await chrome.storage.local.get(AUTH_KEY);
  return stored[AUTH_KEY] ?? null;
}

async function setAuth(auth) {
  if (auth) {
    await chrome.storage.local.set({ [AUTH_KEY]: auth });
  } else {
    await chrome.storage.local.remove(AUTH_KEY);
  }
}

function normaliseServer(server) {
  const url = new URL(server);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error("The server address starts with http:// or https://.");
  }
  return url.origin;
}

async function readProblem(response) {
  try {
    const problem = await response.json();
    const fields = problem.errors ? Object.values(problem.errors).flat().join(" ") : "";
    return [problem.detail, fields].filter(Boolean).join(" ") || problem.title || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

export async function signIn(server, email, password) {
  const origin = normaliseServer(server);
  const response = await fetch(`${origin}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) {
    throw new Error(await readProblem(response));
  }
  const tokens = await response.json();
  await setAuth({ server: origin, email, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
  return { server: origin, email };
}

export async function signOut() {
  await setAuth(null);
}

// One refresh at a time: concurrent 401s wait for the same rotation (refresh tokens are single use).
let refreshing = null;

async function refresh(auth) {
  if (!refreshing) {
    refreshing = (async () => {
      const response = await fetch(`${auth.server}/api/v1/auth/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refreshToken: auth.refreshToken }),
      });
      if (!response.ok) {
        // The family was revoked or expired: the person signs in again.
        await setAuth(null);
        return null;
      }
      const tokens = await response.json();
      const next = { ...auth, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
      await setAuth(next);
      return next;
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** When an access token (a JWT) expires, in milliseconds since the epoch; 0 when it cannot be read. */
function expiresAt(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), "="))).exp * 1000 || 0;
  } catch {
    return 0;
  }
}

/**
 * An access token good for at least another minute (refreshed first if not), or null when nobody is
 * signed in: for the live connection, which sends the token once when it connects (the server closes
 * it when that token expires, and the client reconnects with a new one).
 */
export async function freshAccessToken() {
  let auth = await getAuth();
  if (auth && expiresAt(auth.accessToken) - Date.now() < 60_000) {
    auth = await refresh(auth);
  }
  return auth?.accessToken ?? null;
}

/**
 * Calls the API as the signed-in user. Returns the Response (callers check ok/status), or null
 * when nobody is signed in. Network errors throw (the caller keeps its data for later).
 */
export async function api(path, options = {}) {
  let auth = await getAuth();
  if (!auth) {
    return null;
  }
  const send = (token) =>
    fetch(`${auth.server}${path}`, {
      ...options,
      headers: { ...(options.headers ?? {}), Authorization: `Bearer ${token}`, ...(options.body ? { "Content-Type": "application/json" } : {}) },
    });
  let response = await send(auth.accessToken);
  if (response.status === 401) {
    auth = await refresh(auth);
    if (!auth) {
      return null;
    }
    response = await send(auth.accessToken);
  }
  return response;
}

export { readProblem };

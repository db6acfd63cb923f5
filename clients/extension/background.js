// Mindspace's background service worker: counts attention, sends ticks in batches with an
// offline queue kept in extension storage (it survives a browser restart), and puts friction
// before a page opens: the sites of the rule sets and focus session in force now (the server says
// which, and until when) are redirected to the pause page by declarativeNetRequest before any
// request leaves; anything that came into force since is still asked about on navigation. A live
// connection to the server (SignalR, /hubs/attention) hears of a focus session started, paused or
// ended, and of a rule set, unlock, limit or lockdown changed, on any device, and arms this browser at once.
import { api, freshAccessToken, getAuth, readProblem, signIn, signOut } from "./api.js";
import "./vendor/signalr/signalr.min.js"; // sets self.signalR (MIT, see vendor/signalr/README.md)

const QUEUE_KEY = "tickQueue";
const CURRENT_KEY = "current";
const PASSES_KEY = "passes";
const ARMED_KEY = "armed";
const UNLOCKS_KEY = "unlocks";
const UNLOCK_CHOICES = [5, 15, 30, 60]; // minutes the pause page offers; the server takes 1–120
const DEFAULT_UNLOCK_MINUTES = 15;
const FRICTION_ALARM = "mindspace-friction";
const MAX_BATCH = 500;
const MAX_QUEUE = 20000;
const IDLE_SECONDS = 60;
const FLUSH_ALARM = "mindspace-flush";
const PASS_MINUTES = 10;
const LAST_PUSH_KEY = "lastSessionPush";
/** The last frictionChanged push and whether the friction asked for after it is armed (for the popup and tests). */
const LAST_FRICTION_PUSH_KEY = "lastFrictionPush";

// ---- attention: the active tab of the focused window is what the person is looking at ----

function siteOf(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : null;
  } catch {
    return null;
  }
}

async function activeTab() {
  const windows = await chrome.windows.getAll({ populate: false });
  const focusedWindow = windows.find((w) => w.focused);
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  return { tab: tab ?? null, focused: Boolean(focusedWindow) };
}

/** Closes the stretch being counted (as a tick in the queue) and starts a new one from now. */
async function sample() {
  const now = Date.now();
  const stored = await chrome.storage.session.get(CURRENT_KEY);
  const previous = stored[CURRENT_KEY];
  if (previous && now > previous.since) {
    const durationSec = Math.min((now - previous.since) / 1000, 3600);
    if (durationSec >= 0.5) {
      await enqueue([
        {
          id: crypto.randomUUID(),
          ts: new Date(previous.since).toISOString(),
          site: previous.host,
          path: previous.path,
          title: previous.title,
          focused: previous.focused,
          idle: previous.idle,
          audible: previous.audible,
          durationSec: Math.round(durationSec * 10) / 10,
        },
      ]);
    }
  }

  const { tab, focused } = await activeTab();
  const url = tab && !tab.incognito ? siteOf(tab.url ?? "") : null;
  const idle = (await chrome.idle.queryState(IDLE_SECONDS)) !== "active";
  const next = url
    ? { host: url.hostname, path: url.pathname, title: (tab.title ?? "").slice(0, 300), focused, idle, audible: Boolean(tab.audible), since: now }
    : null;
  await chrome.storage.session.set({ [CURRENT_KEY]: next });
}

// ---- the offline queue ----

let queueLock = Promise.resolve();

function withQueue(work) {
  const run = queueLock.then(work, work);
  queueLock = run.catch(() => {});
  return run;
}

function enqueue(ticks) {
  return withQueue(async () => {
    const stored = await chrome.storage.local.get(QUEUE_KEY);
    const queue = (stored[QUEUE_KEY] ?? []).concat(ticks);
    // A browser offline for weeks keeps the newest ticks; the server refuses ticks older than 30 days anyway.
    await chrome.storage.local.set({ [QUEUE_KEY]: queue.slice(-MAX_QUEUE) });
  });
}

/**
 * Sends queued ticks, a batch at a time. A batch leaves the queue only once the server
 * acknowledged it (stored) or refused it as invalid (it would never be accepted); on a network
 * error or 5xx it stays for the next try. Tick ids make a resend harmless.
 */
function flush() {
  return withQueue(async () => {
    if (!(await getAuth())) {
      return;
    }
    for (;;) {
      const stored = await chrome.storage.local.get(QUEUE_KEY);
      const queue = stored[QUEUE_KEY] ?? [];
      if (queue.length === 0) {
        return;
      }
      const batch = queue.slice(0, MAX_BATCH);
      let response;
      try {
        response = await api("/api/v1/attention/ticks", { method: "POST", body: JSON.stringify({ ticks: batch }) });
      } catch {
        return; // offline: try again later
      }
      if (!response || response.status >= 500 || response.status === 429 || response.status === 401) {
        return;
      }
      if (!response.ok) {
        console.warn("Mindspace refused a batch of ticks:", await readProblem(response));
      }
      await chrome.storage.local.set({ [QUEUE_KEY]: queue.slice(batch.length) });
    }
  });
}

async function sampleAndFlush() {
  await sample();
  await flush();
}

// ---- friction: ask before a page opens ----

async function passes() {
  const stored = await chrome.storage.session.get(PASSES_KEY);
  const now = Date.now();
  const live = (stored[PASSES_KEY] ?? []).filter((p) => p.until > now);
  return live;
}

async function hasPass(tabId, host) {
  return (await passes()).some((p) => p.tabId === tabId && p.host === host);
}

async function grantPass(tabId, host) {
  const live = await passes();
  live.push({ tabId, host, until: Date.now() + PASS_MINUTES * 60 * 1000 });
  await chrome.storage.session.set({ [PASSES_KEY]: live });
  await applyRules();
}

// ---- friction ahead of the request: declarativeNetRequest session rules ----
//
// The server says what is in force now (GET /api/v1/focus/friction): rule sets whose schedule is
// on and whose limit, if any, is reached, and the running focus session's distracting sites. Those
// are "armed": their sites are redirected to pause.html#<address> by the browser itself, so the page
// never loads and nothing flashes. The pause page then asks the server (which counts the attempt and
// may say otherwise: an unlock, a block). Passes ("Open anyway", one tab) and unlocks (every tab,
// every device: the server lists them) are allow rules above them. The answer also says when it may
// next change by itself (a schedule's start or end, a limit's hour or day, an unlock running out): an
// alarm asks again then; so do sign-in, start-up, every 30 seconds, and starting, pausing or ending a
// focus session here. Anything that came into force in between is still asked about on navigation.

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A site pattern (example.com, *.example.com, either with a path prefix) as a regular expression over a whole address. */
function patternRegex(pattern) {
  const slash = pattern.indexOf("/");
  const hostPart = (slash < 0 ? pattern : pattern.slice(0, slash)).toLowerCase();
  const prefix = slash < 0 ? "" : pattern.slice(slash);
  const host = hostPart.startsWith("*.") ? `[^/?#:@]+\\.${escapeRegex(hostPart.slice(2))}` : `([^/?#:@]+\\.)?${escapeRegex(hostPart)}`;
  const rest = prefix ? `${escapeRegex(prefix)}.*` : "([/?#].*)?";
  return `^https?://${host}(:[0-9]+)?${rest}$`;
}

function hostRegex(host) {
  return `^https?://${escapeRegex(host.toLowerCase())}(:[0-9]+)?([/?#].*)?$`;
}

let syncing = null;
let syncAgain = false;

/**
 * Asks the server what friction is in force now, arms it, keeps the live unlocks, and sets an alarm
 * for when that may change. Calls while one runs make it run once more afterwards (the answer must
 * be at least as new as the change that asked for it).
 */
function syncRules() {
  if (syncing) {
    syncAgain = true;
    return syncing;
  }
  syncing = (async () => {
    do {
      syncAgain = false;
      await syncOnce();
    } while (syncAgain);
  })().finally(() => {
    syncing = null;
  });
  return syncing;
}

async function syncOnce() {
  let response;
  try {
    response = await api("/api/v1/focus/friction");
  } catch {
    return; // offline: keep what is armed
  }
  if (response && !response.ok) {
    return;
  }
  const friction = response ? await response.json() : { armed: [], unlocks: [], until: null };
  const armed = [];
  for (const entry of friction.armed ?? []) {
    armed.push(...entry.sites.map((site) => ({ regex: patternRegex(site), allow: false })));
    armed.push(...(entry.allow ?? []).map((site) => ({ regex: patternRegex(site), allow: true })));
  }
  const unlocks = (friction.unlocks ?? []).map((u) => ({ site: u.site, until: Date.parse(u.until) }));
  await chrome.storage.session.set({ [ARMED_KEY]: armed, [UNLOCKS_KEY]: unlocks });
  await applyRules();
  await chrome.alarms.clear(FRICTION_ALARM);
  if (friction.until) {
    // A moment after the boundary, so the server's answer is already the new one.
    await chrome.alarms.create(FRICTION_ALARM, { when: Math.max(Date.parse(friction.until) + 1000, Date.now() + 1000) });
  }
}

let rulesLock = Promise.resolve();

/** Replaces the session rules with the armed sites, live passes and live unlocks (one at a time). */
function applyRules() {
  const work = async () => {
    const stored = await chrome.storage.session.get([ARMED_KEY, PASSES_KEY, UNLOCKS_KEY]);
    const now = Date.now();
    const pausePage = chrome.runtime.getURL("pause.html");
    const rules = [];
    const add = (priority, action, condition) => rules.push({ id: rules.length + 1, priority, action, condition: { ...condition, resourceTypes: ["main_frame"] } });
    for (const entry of stored[ARMED_KEY] ?? []) {
      if (entry.allow) {
        add(2, { type: "allow" }, { regexFilter: entry.regex });
      } else {
        add(1, { type: "redirect", redirect: { regexSubstitution: `${pausePage}#\\0` } }, { regexFilter: entry.regex });
      }
    }
    for (const pass of (stored[PASSES_KEY] ?? []).filter((p) => p.until > now)) {
      add(3, { type: "allow" }, { regexFilter: hostRegex(pass.host), tabIds: [pass.tabId] });
    }
    for (const unlock of (stored[UNLOCKS_KEY] ?? []).filter((u) => u.until > now)) {
      add(3, { type: "allow" }, { regexFilter: patternRegex(unlock.site) });
    }
    const existing = await chrome.declarativeNetRequest.getSessionRules();
    await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: existing.map((r) => r.id), addRules: rules });
  };
  const run = rulesLock.then(work, work);
  rulesLock = run.catch((error) => console.warn("Mindspace could not update its friction rules:", error));
  return run;
}

/** Whether the browser itself sends this address to the pause page (so navigation need not ask). */
async function isArmed(url) {
  const armed = (await chrome.storage.session.get(ARMED_KEY))[ARMED_KEY] ?? [];
  const matches = (entry) => new RegExp(entry.regex, "i").test(url);
  return armed.some((e) => !e.allow && matches(e)) && !armed.some((e) => e.allow && matches(e));
}

async function decision(url) {
  let response;
  try {
    response = await api(`/api/v1/focus/decision?url=${encodeURIComponent(url)}`);
  } catch {
    return null; // offline: never stand in the way
  }
  return response?.ok ? await response.json() : null;
}

function frictionPage(decided, url) {
  const page = decided.action === "block" ? "block.html" : "pause.html";
  const query = new URLSearchParams({
    url,
    reason: decided.reason ?? "",
    delay: String(decided.delaySeconds ?? 0),
    attempts: String(decided.attemptsToday ?? 0),
    used: String(decided.usedTodayMinutes ?? 0),
  });
  return chrome.runtime.getURL(`${page}?${query}`);
}

async function decide(tabId, url) {
  const parsed = siteOf(url);
  if (!parsed || (await hasPass(tabId, parsed.hostname)) || (await isArmed(url))) {
    return;
  }
  const decided = await decision(url);
  if (!decided || decided.action === "allow") {
    return;
  }
  // The answer may come after the person moved on (or chose "Open anyway"): act only on the page asked about.
  const tab = await chrome.tabs.get(tabId).catch(() => null);
  if (!tab || (tab.pendingUrl || tab.url) !== url || (await hasPass(tabId, parsed.hostname))) {
    return;
  }
  await chrome.tabs.update(tabId, { url: frictionPage(decided, url) });
}

chrome.webNavigation.onBeforeNavigate.addListener((details) => {
  if (details.frameId === 0) {
    decide(details.tabId, details.url);
  }
});

// ---- live: a focus session or friction changed on any device re-arms friction here at once ----
//
// The attention hub pushes the person's focus session (focusSession) whenever it starts, pauses,
// resumes or ends, whichever device did it, and once on connecting; and frictionChanged ({cause, at})
// when a rule set is created, edited or deleted, an unlock is granted, a limit is reached (or its hour
// or day starts again) or a lockdown begins or ends. Each push asks the server for the friction in
// force (GET /api/v1/focus/friction), so a session started or a rule made on a phone or another
// browser stops a site here before it loads, not at the next 30-second poll (which stays, as the
// fallback when the connection is down or a push is lost). The server's keep-alive pings every 15 seconds keep this
// service worker awake while connected; if the browser stops it anyway, the next event or the
// 30-second alarm starts it and connects again.

let live = null; // { connection, server, email }
let liveStarting = null;

/** Connects to the attention hub as the signed-in person, unless already connected (or connecting) as them. */
function connectLive() {
  if (liveStarting) {
    return liveStarting;
  }
  liveStarting = (async () => {
    const auth = await getAuth();
    if (live && (!auth || live.server !== auth.server || live.email !== auth.email)) {
      await disconnectLive();
    }
    if (!auth || live) {
      return;
    }
    const connection = new self.signalR.HubConnectionBuilder()
      .withUrl(`${auth.server}/hubs/attention`, {
        // WebSockets only, without the negotiate request; the token goes as access_token on connecting.
        transport: self.signalR.HttpTransportType.WebSockets,
        skipNegotiation: true,
        accessTokenFactory: async () => (await freshAccessToken()) ?? "",
      })
      .withAutomaticReconnect()
      .configureLogging(self.signalR.LogLevel.Warning)
      .build();
    connection.on("focusSession", (session) => {
      chrome.storage.session
        .set({ [LAST_PUSH_KEY]: { id: session?.id ?? null, status: session?.status ?? null, at: Date.now() } })
        .then(() => syncRules());
    });
    connection.on("frictionChanged", (change) => {
      const cause = typeof change?.cause === "string" ? change.cause : null;
      syncRules().then(() => chrome.storage.session.set({ [LAST_FRICTION_PUSH_KEY]: { cause, at: change?.at ?? null, synced: Date.now() } }));
    });
    // Pushes sent while disconnected are gone: ask again (the hub also sends the session on connecting).
    connection.onreconnected(() => syncRules());
    connection.onclose(() => {
      if (live?.connection === connection) {
        live = null;
      }
    });
    live = { connection, server: auth.server, email: auth.email };
    try {
      await connection.start();
    } catch (error) {
      // Offline, or the server is away: the 30-second alarm tries again.
      live = null;
      console.warn("Mindspace could not connect for live focus sessions:", String(error?.message ?? error));
    }
  })().finally(() => {
    liveStarting = null;
  });
  return liveStarting;
}

async function disconnectLive() {
  const current = live;
  live = null;
  await current?.connection.stop().catch(() => {});
}

// ---- events that change what is being looked at ----

chrome.tabs.onActivated.addListener(() => sampleAndFlush());
chrome.tabs.onUpdated.addListener((_tabId, change) => {
  if (change.url || change.status === "complete" || change.audible !== undefined) {
    sampleAndFlush();
  }
});
chrome.windows.onFocusChanged.addListener(() => sampleAndFlush());
chrome.idle.setDetectionInterval(IDLE_SECONDS);
chrome.idle.onStateChanged.addListener(() => sampleAndFlush());

chrome.alarms.create(FLUSH_ALARM, { periodInMinutes: 0.5 });
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === FLUSH_ALARM) {
    sampleAndFlush();
    syncRules();
    connectLive();
  } else if (alarm.name === FRICTION_ALARM) {
    syncRules();
  }
});
chrome.runtime.onStartup.addListener(() => {
  flush();
  syncRules();
});
chrome.runtime.onInstalled.addListener(() => syncRules());
// Every time the service worker starts (for any event), it connects if it is not connected.
connectLive();

// ---- messages from the popup and the pause and block pages ----

async function handle(message, sender) {
  switch (message?.type) {
    case "signIn": {
      const result = await signIn(message.server, message.email, message.password);
      await syncRules();
      connectLive();
      return result;
    }
    case "signOut":
      await signOut();
      await disconnectLive();
      await syncRules();
      return {};
    case "status": {
      const auth = await getAuth();
      if (!auth) {
        return { signedIn: false };
      }
      await sampleAndFlush();
      const [summary, session] = await Promise.all([api("/api/v1/attention/summary?by=site"), api("/api/v1/focus/sessions/current")]);
      const queue = (await chrome.storage.local.get(QUEUE_KEY))[QUEUE_KEY] ?? [];
      return {
        signedIn: true,
        email: auth.email,
        server: auth.server,
        summary: summary?.ok ? await summary.json() : null,
        session: session?.status === 200 ? await session.json() : null,
        queued: queue.length,
      };
    }
    case "startSession": {
      const response = await api("/api/v1/focus/sessions", { method: "POST", body: JSON.stringify({ plannedMinutes: message.minutes, strictness: message.strictness }) });
      if (!response?.ok) {
        throw new Error(response ? await readProblem(response) : "Sign in first.");
      }
      const session = await response.json();
      await syncRules(); // the session's friction is armed before the popup says it is on
      return session;
    }
    case "endSession": {
      const response = await api(`/api/v1/focus/sessions/${message.id}/end`, { method: "POST" });
      if (!response?.ok) {
        throw new Error(response ? await readProblem(response) : "Sign in first.");
      }
      const session = await response.json();
      await syncRules();
      return session;
    }
    case "dismiss": {
      const response = await api("/api/v1/focus/dismiss", { method: "POST", body: JSON.stringify({ site: message.url }) });
      const result = response?.ok ? await response.json() : null;
      if (sender.tab?.id !== undefined) {
        await chrome.tabs.update(sender.tab.id, { url: chrome.runtime.getURL("pause.html?chosen=1") });
      }
      return result ?? {};
    }
    case "check": {
      // The browser sent this tab to the pause page before the site loaded: what does the server say now?
      const parsed = siteOf(message.url);
      const tabId = sender.tab?.id;
      if (!parsed || tabId === undefined) {
        return { action: "allow" };
      }
      const decided = await decision(parsed.href);
      if (!decided || decided.action === "allow") {
        await grantPass(tabId, parsed.hostname);
        await chrome.tabs.update(tabId, { url: parsed.href });
        return { action: "allow" };
      }
      if (decided.action === "block") {
        await chrome.tabs.update(tabId, { url: frictionPage(decided, parsed.href) });
      }
      return decided;
    }
    case "unlock": {
      const parsed = siteOf(message.url);
      if (!parsed) {
        throw new Error("There is no address to unlock.");
      }
      const minutes = UNLOCK_CHOICES.includes(Number(message.minutes)) ? Number(message.minutes) : DEFAULT_UNLOCK_MINUTES;
      const response = await api("/api/v1/focus/unlock", {
        method: "POST",
        body: JSON.stringify({ site: parsed.href, minutes, reason: message.reason || "Unlocked from the pause page." }),
      });
      if (!response) {
        throw new Error("Sign in first.");
      }
      if (!response.ok) {
        throw new Error(await readProblem(response));
      }
      const result = await response.json();
      const stored = (await chrome.storage.session.get(UNLOCKS_KEY))[UNLOCKS_KEY] ?? [];
      const live = stored.filter((u) => u.until > Date.now());
      live.push({ site: result.site, until: Date.parse(result.until) });
      await chrome.storage.session.set({ [UNLOCKS_KEY]: live });
      await applyRules();
      // A refresh already under way (a push, the poll) may have read the friction before this unlock and
      // would store it without: this asks once more after it, and that answer includes the unlock.
      await syncRules();
      if (sender.tab?.id !== undefined) {
        await chrome.tabs.update(sender.tab.id, { url: parsed.href });
      }
      return result;
    }
    case "proceed": {
      const parsed = siteOf(message.url);
      if (parsed && sender.tab?.id !== undefined) {
        await grantPass(sender.tab.id, parsed.hostname);
        await chrome.tabs.update(sender.tab.id, { url: parsed.href });
      }
      return {};
    }
    case "flush":
      await sampleAndFlush();
      return { queued: ((await chrome.storage.local.get(QUEUE_KEY))[QUEUE_KEY] ?? []).length };
    default:
      throw new Error("Unknown message.");
  }
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  handle(message, sender).then(
    (result) => reply({ ok: true, result }),
    (error) => reply({ ok: false, error: String(error?.message ?? error) }),
  );
  return true; // the reply comes asynchronously
});

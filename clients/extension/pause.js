// The breathing pause: the reason, a gentle countdown, "I don't want to open it" at once, and
// "Open anyway" or an unlock only once the pause is over.
//
// Two ways here: the extension redirected a navigation after asking the server (the decision is in
// the query), or the browser itself sent an armed site here before it loaded (pause.html#<address>):
// then this page asks the server first, which counts the attempt and may let it through or block it.
const params = new URLSearchParams(location.search);

function show(url, reason, delay) {
  document.getElementById("reason").textContent = reason || "You asked for a pause before this site.";
  try {
    document.getElementById("site").textContent = new URL(url).hostname;
  } catch {
    document.getElementById("site").textContent = "";
  }

  const wait = document.getElementById("wait");
  const proceed = document.getElementById("proceed");
  const unlock = document.getElementById("unlock");
  let left = delay;
  const tick = () => {
    if (left <= 0) {
      wait.textContent = "";
      proceed.hidden = false;
      unlock.hidden = false;
      return;
    }
    wait.textContent = `You can open it in ${left} second${left === 1 ? "" : "s"}, if you still want to.`;
    left -= 1;
    setTimeout(tick, 1000);
  };
  tick();

  document.getElementById("dismiss").addEventListener("click", () => {
    chrome.runtime.sendMessage({ type: "dismiss", url });
  });
  proceed.addEventListener("click", () => {
    chrome.runtime.sendMessage({ type: "proceed", url });
  });
  unlock.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("unlock-error");
    error.textContent = "";
    const reply = await chrome.runtime.sendMessage({
      type: "unlock",
      url,
      minutes: Number(document.getElementById("unlock-minutes").value),
      reason: document.getElementById("unlock-reason").value.trim(),
    });
    if (!reply?.ok) {
      error.textContent = reply?.error || "The unlock didn't go through. You can still open it this once.";
    }
  });
}

function breathe() {
  const guide = document.getElementById("guide");
  let inhale = true;
  setInterval(() => {
    inhale = !inhale;
    guide.textContent = inhale ? "Breathe in…" : "Breathe out…";
  }, 4000);
}

if (params.get("chosen") === "1") {
  document.getElementById("pause").hidden = true;
  document.getElementById("chosen").hidden = false;
} else if (params.has("url")) {
  breathe();
  show(params.get("url") ?? "", params.get("reason"), Math.max(0, Number(params.get("delay") ?? "0") || 0));
} else {
  // Sent here by the browser: breathe while the server is asked.
  breathe();
  const url = location.hash.slice(1);
  document.getElementById("wait").textContent = "One moment…";
  chrome.runtime.sendMessage({ type: "check", url }).then((reply) => {
    const decided = reply?.ok ? reply.result : null;
    if (decided?.action === "pause") {
      show(url, decided.reason, Math.max(0, Number(decided.delaySeconds) || 0));
    } else if (!decided) {
      show(url, "", 0); // something went wrong on our side: never trap anyone here
    }
    // "allow" and "block" move this tab on by themselves.
  });
}

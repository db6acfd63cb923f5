// The breathing pause: the reason, a gentle countdown, "I don't want to open it" at once, and
// "Open anyway" only once the pause is over.
const params = new URLSearchParams(location.search);

if (params.get("chosen") === "1") {
  document.getElementById("pause").hidden = true;
  document.getElementById("chosen").hidden = false;
} else {
  const url = params.get("url") ?? "";
  const delay = Math.max(0, Number(params.get("delay") ?? "0") || 0);
  document.getElementById("reason").textContent = params.get("reason") || "You asked for a pause before this site.";
  try {
    document.getElementById("site").textContent = new URL(url).hostname;
  } catch {
    document.getElementById("site").textContent = "";
  }

  const guide = document.getElementById("guide");
  let inhale = true;
  setInterval(() => {
    inhale = !inhale;
    guide.textContent = inhale ? "Breathe in…" : "Breathe out…";
  }, 4000);

  const wait = document.getElementById("wait");
  const proceed = document.getElementById("proceed");
  let left = delay;
  const tick = () => {
    if (left <= 0) {
      wait.textContent = "";
      proceed.hidden = false;
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
}

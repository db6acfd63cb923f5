// The block page: the reason, no way through (an unlock is a deliberate act in Mindspace).
const params = new URLSearchParams(location.search);
const url = params.get("url") ?? "";
document.getElementById("reason").textContent = params.get("reason") || "A rule you made keeps this site closed right now.";
try {
  document.getElementById("site").textContent = new URL(url).hostname;
} catch {
  document.getElementById("site").textContent = "";
}
document.getElementById("close").addEventListener("click", () => {
  chrome.runtime.sendMessage({ type: "dismiss", url });
});

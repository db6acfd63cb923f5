// The popup: sign in, then today's attention and the current focus session.
const $ = (id) => document.getElementById(id);

function send(message) {
  return new Promise((resolve, reject) => {
    chrome.runtime.sendMessage(message, (reply) => {
      if (chrome.runtime.lastError) {
        reject(new Error(chrome.runtime.lastError.message));
      } else if (!reply?.ok) {
        reject(new Error(reply?.error ?? "Something went wrong."));
      } else {
        resolve(reply.result);
      }
    });
  });
}

function minutes(seconds) {
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

async function render() {
  const status = await send({ type: "status" });
  $("signin").hidden = status.signedIn;
  $("today").hidden = !status.signedIn;
  if (!status.signedIn) {
    return;
  }
  $("signed-in-as").textContent = `Signed in as ${status.email}`;
  const summary = status.summary?.summary;
  $("total").textContent = summary ? `${minutes(summary.totalSeconds)} of attention today` : "Today's attention is not available right now.";
  const list = $("sites");
  list.replaceChildren(
    ...(summary?.groups ?? []).slice(0, 5).map((group) => {
      const item = document.createElement("li");
      item.textContent = `${group.key} — ${minutes(group.seconds)}`;
      return item;
    }),
  );
  $("celebration").textContent = status.summary?.celebration ?? "";
  const session = status.session;
  $("start-session").hidden = Boolean(session);
  const box = $("session");
  box.replaceChildren();
  if (session) {
    const text = document.createElement("p");
    text.id = "session-status";
    text.textContent = `${session.status === "paused" ? "Paused" : "Focusing"}: ${session.plannedMinutes} min planned, ${session.interruptions} interruption${session.interruptions === 1 ? "" : "s"} so far.`;
    const end = document.createElement("button");
    end.id = "end-session";
    end.textContent = "End session";
    end.addEventListener("click", async () => {
      await send({ type: "endSession", id: session.id });
      await render();
    });
    box.append(text, end);
  } else {
    const text = document.createElement("p");
    text.id = "session-status";
    text.className = "muted";
    text.textContent = "No session on.";
    box.append(text);
  }
  $("queued").textContent = status.queued ? `${status.queued} ticks waiting to be sent.` : "";
}

$("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("signin-error").textContent = "";
  try {
    await send({ type: "signIn", server: $("server").value, email: $("email").value, password: $("password").value });
    $("password").value = "";
    await render();
  } catch (error) {
    $("signin-error").textContent = error.message;
  }
});

for (const button of document.querySelectorAll("#start-session button")) {
  button.addEventListener("click", async () => {
    $("session-error").textContent = "";
    try {
      await send({ type: "startSession", minutes: Number(button.dataset.minutes), strictness: "gentle" });
      await render();
    } catch (error) {
      $("session-error").textContent = error.message;
    }
  });
}

$("signout").addEventListener("click", async () => {
  await send({ type: "signOut" });
  await render();
});

render();

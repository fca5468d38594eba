// The browser's half of signing in (states/auth.py has the other half). The refresh token lives
// in an HttpOnly cookie that no script here can read; these helpers only ask the API to use it.
// Each resolves to a plain object the app server's callback reads: {status, code?, detail?, ...}.
// The access token never reaches the browser: a grant answers with a one-time code that only the
// app server, holding the PKCE verifier of `challenge`, can trade for it.
(() => {
  // Left by the app before the cookie: a refresh token readable by any script. It is not used any more.
  localStorage.removeItem("planner_refresh");

  const csrf = () => {
    const match = document.cookie.match(/(?:^|;\s*)planner_csrf=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  const post = async (path, body) => {
    try {
      const response = await fetch(path, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
        body: JSON.stringify(body || {}),
      });
      const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
      const retry = parseInt(response.headers.get("Retry-After") || "", 10);
      return { ...data, status: response.status, retryAfter: Number.isNaN(retry) ? null : retry };
    } catch (error) {
      return { status: 503, code: "network", detail: String(error) };
    }
  };

  const grant = async (challenge) => ({ ...(await post("/api/auth/token/app/", { challenge })), challenge });

  // One renewal waits per page; a newer one replaces it (the older promise is simply never settled).
  let pending = null;
  const cancelPending = () => {
    if (!pending) return;
    clearTimeout(pending.timer);
    document.removeEventListener("visibilitychange", pending.onVisible);
    pending = null;
  };

  window.plannerAuth = {
    // The sign-in form's own fields (pages/login.py): the password goes from the page to the API.
    async signIn(challenge) {
      const field = (id) => document.getElementById(id)?.value ?? "";
      const signedIn = await post("/api/auth/token/cookie/", { username: field("login-username").trim(), password: field("login-password") });
      return signedIn.status === 200 ? grant(challenge) : signedIn;
    },
    grant,
    // A grant once `delay` ms have passed. Timers of hidden tabs may fire late, so coming back
    // to the tab also renews when the time is up.
    renewAfter(challenge, delay) {
      cancelPending();
      const due = Date.now() + delay;
      return new Promise((resolve) => {
        const fire = () => {
          cancelPending();
          grant(challenge).then(resolve);
        };
        const onVisible = () => document.visibilityState === "visible" && Date.now() >= due && fire();
        pending = { timer: setTimeout(fire, delay), onVisible, due };
        document.addEventListener("visibilitychange", onVisible);
      });
    },
    // When the waiting renewal is due (ms since the epoch), or null while none waits.
    renewalDue: () => (pending ? pending.due : null),
    signOut() {
      cancelPending();
      return post("/api/auth/logout/cookie/");
    },
  };
})();

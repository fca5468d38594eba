// The offline page's Retry. By hand it reloads at once. By itself it asks the server for the page
// that failed (a plain fetch, which the service worker leaves to the network) and reloads once that
// works: when the browser says it is back online, and then with a growing pause while it thinks it
// is online, since "online" can come before the network or the server really answers.
const reload = () => window.location.reload();
let pause = 2000;
let timer;

const check = () => {
  window.clearTimeout(timer);
  fetch(window.location.href, { cache: "no-store" }).then((response) => (response.ok ? reload() : later()), later);
};
const later = () => {
  if (!navigator.onLine) return; // the `online` event starts checking again
  timer = window.setTimeout(check, pause);
  pause = Math.min(pause * 2, 60000);
};

document.getElementById("retry").addEventListener("click", reload);
window.addEventListener("online", check);
later();

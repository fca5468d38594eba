// The offline page's Retry: reload the page that failed, by hand or as soon as the browser is back online.
const retry = () => window.location.reload();
document.getElementById("retry").addEventListener("click", retry);
window.addEventListener("online", retry);

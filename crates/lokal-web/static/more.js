// "More" appends the next page's stores to this list (the link works without scripts too).
document.addEventListener('click', async (ev) => {
  const a = ev.target.closest('[data-more]');
  if (!a) return;
  ev.preventDefault();
  const html = await (await fetch(a.href)).text();
  const next = new DOMParser().parseFromString(html, 'text/html');
  const list = document.querySelector('[data-testid=store-list]');
  next.querySelectorAll('[data-testid=store-card]').forEach((li) => list.appendChild(document.importNode(li, true)));
  const more = next.querySelector('[data-more]');
  if (more) a.href = more.href; else a.remove();
});

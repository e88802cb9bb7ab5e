// Suggestions as the person types (pinyin too: "huog" offers 火锅), from /api/v1/search/suggest.
(() => {
  const input = document.currentScript.previousElementSibling.querySelector('[data-suggest]');
  const list = document.getElementById('search-suggestions');
  let timer = null, asked = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q || q === asked || q.length > 50) return;
      asked = q;
      try {
        const r = await fetch('/api/v1/search/suggest?q=' + encodeURIComponent(q));
        if (!r.ok) return;
        const { suggestions } = await r.json();
        if (input.value.trim() !== q) return;
        list.replaceChildren(...suggestions.map((s) => Object.assign(document.createElement('option'), { value: s })));
        list.dataset.for = q;
      } catch { /* offline: no suggestions */ }
    }, 150);
  });
})();

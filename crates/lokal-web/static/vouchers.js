// Live state: poll the API (the session cookie authenticates it) and update each voucher in place,
// in the page's language (the labels are on the list, the uses sentence on each voucher).
(function () {
  const list = document.querySelector('[data-testid=vouchers]');
  const cards = document.querySelectorAll('[data-voucher-id]');
  if (!list || !cards.length) return;
  const label = (s) => list.getAttribute(`data-label-${s}`) || s;
  setInterval(async () => {
    try {
      const r = await fetch('/api/v1/me/vouchers', { credentials: 'same-origin' });
      if (!r.ok) return;
      const { items } = await r.json();
      for (const v of items) {
        const card = document.querySelector(`[data-voucher-id="${v.id}"]`);
        if (!card) continue;
        const status = card.querySelector('.status');
        status.textContent = label(v.status);
        status.dataset.status = v.status;
        card.dataset.status = v.status;
        const uses = card.querySelector('.uses');
        uses.textContent = uses.dataset.text.replace('{left}', v.uses_left);
        uses.dataset.left = v.uses_left;
        card.className = `card voucher ${v.status}`;
        if (v.status !== 'active') card.querySelector('.qr')?.remove();
      }
    } catch (_) { /* offline for a moment: try again next tick */ }
  }, 1500);
})();

// Live position: where the device can tell it, send it every 15 s while the rider wants (the
// session cookie authenticates the API call, the CSRF token guards it).
(function () {
  const box = document.getElementById('geo');
  if (!box || !('geolocation' in navigator) || !window.fetch) return;
  const toggle = document.getElementById('geo-toggle');
  const state = document.getElementById('geo-state');
  let timer = null;
  const send = function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      const lat = p.coords.latitude, lng = p.coords.longitude;
      fetch('/api/v1/rider/location', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': box.dataset.csrf },
        body: JSON.stringify({ lat: lat, lng: lng }),
      }).then(async function (r) {
        if (r.ok) {
          document.getElementById('lat').value = lat.toFixed(6);
          document.getElementById('lng').value = lng.toFixed(6);
          const at = new Date().toLocaleTimeString(box.dataset.lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
          state.textContent = box.dataset.sent.replace('%time%', at);
        } else {
          const body = await r.json().catch(function () { return {}; });
          state.textContent = box.dataset.notSent.replace('%why%', body.message || (body.error && body.error.message) || r.status);
        }
      }).catch(function () { state.textContent = box.dataset.offline; });
    }, function (err) { state.textContent = box.dataset.noPosition.replace('%why%', err.message); },
    { enableHighAccuracy: true, maximumAge: 10000, timeout: 10000 });
  };
  box.hidden = false;
  toggle.addEventListener('click', function () {
    if (timer) {
      clearInterval(timer);
      timer = null;
      toggle.textContent = box.dataset.start;
      state.textContent = box.dataset.stopped;
      return;
    }
    send();
    timer = setInterval(send, 15000);
    toggle.textContent = box.dataset.stop;
  });
})();

(function () {
  // − and + beside each quantity, and the cart's count and items total as it is filled (the
  // quote prices it exactly, with options, fees and coupons).
  var qtys = document.querySelectorAll('input.qty');
  var sum = document.getElementById('cart-sum');
  function yuan(f) { return '¥' + (f % 100 === 0 ? String(f / 100) : (f / 100).toFixed(2)); }
  function total() {
    var n = 0, f = 0;
    Array.prototype.forEach.call(qtys, function (q) { var k = parseInt(q.value, 10) || 0; n += k; f += k * (parseInt(q.dataset.price, 10) || 0); });
    if (sum) sum.textContent = n ? sum.dataset.some.replace('{n}', n).replace('{total}', yuan(f)) : sum.dataset.empty;
  }
  Array.prototype.forEach.call(document.querySelectorAll('button.step'), function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var q = b.parentNode.querySelector('input.qty');
      q.value = Math.max(0, Math.min(99, (parseInt(q.value, 10) || 0) + parseInt(b.dataset.step, 10)));
      total();
    });
  });
  Array.prototype.forEach.call(qtys, function (q) { q.addEventListener('input', total); });
  total();
  // Only the chosen mode's fields show: the address for delivery, the table for eating in.
  var modes = document.querySelectorAll('input[name=mode]');
  function byMode() {
    var m = document.querySelector('input[name=mode]:checked');
    var d = document.querySelector('[data-testid=delivery-fields]'), t = document.querySelector('[data-testid=dine-in-fields]');
    if (d) d.hidden = !(m && m.value === 'delivery');
    if (t) t.hidden = !(m && m.value === 'dine_in');
  }
  Array.prototype.forEach.call(modes, function (r) { r.addEventListener('change', byMode); });
  byMode();
  // A saved address hides the new address's fields; "use my location" moves the pin.
  var box = document.getElementById('new-address');
  var radios = document.querySelectorAll('input[name=address_id]');
  function sync() { var c = document.querySelector('input[name=address_id]:checked'); if (box) box.hidden = !!(c && c.value); }
  Array.prototype.forEach.call(radios, function (r) { r.addEventListener('change', sync); });
  sync();
  var b = document.querySelector('[data-locate-into]');
  if (b && !navigator.geolocation) b.hidden = true;
  if (b && navigator.geolocation) b.addEventListener('click', function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById('lat').value = p.coords.latitude.toFixed(6);
      document.getElementById('lng').value = p.coords.longitude.toFixed(6);
    });
  });
})();

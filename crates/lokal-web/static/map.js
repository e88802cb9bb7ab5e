// Lokal's maps. Every `[data-map]` box holds Lokal's own drawn SVG map; when the platform has a
// tile server (`data-tile-url`), this turns the box into a Leaflet map over those tiles, and puts
// the drawn map back if no tile loads within a few seconds. A box with `data-pick-lat` and
// `data-pick-lng` lets the person place a pin, which fills those two inputs.
(function () {
  'use strict';
  if (window.lokalMaps) return;
  window.lokalMaps = true;
  var LEAFLET = '/static/vendor/leaflet-1.9.4/';
  var M_PER_DEG = 111320;

  // WGS-84 → GCJ-02 (the offset Chinese map providers must apply), and back by iteration.
  function outOfChina(lat, lng) { return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271; }
  function tLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    return r + (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
  }
  function tLng(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    return r + (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
  }
  function toGcj(lat, lng) {
    if (outOfChina(lat, lng)) return [lat, lng];
    var a = 6378245, ee = 0.00669342162296594323;
    var dLat = tLat(lng - 105, lat - 35), dLng = tLng(lng - 105, lat - 35);
    var rad = lat / 180 * Math.PI, magic = 1 - ee * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((a * (1 - ee)) / (magic * sq) * Math.PI);
    dLng = (dLng * 180) / (a / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lng + dLng];
  }
  function fromGcj(lat, lng) {
    var w = [lat, lng];
    for (var i = 0; i < 5; i++) {
      var g = toGcj(w[0], w[1]);
      w = [w[0] - (g[0] - lat), w[1] - (g[1] - lng)];
    }
    return w;
  }

  function pair(s) { var p = (s || '').split(','); return [parseFloat(p[0]), parseFloat(p[1])]; }
  function round(x) { return Math.round(x * 1e6) / 1e6; }

  function pickInto(box, lat, lng) {
    var a = document.getElementById(box.dataset.pickLat), b = document.getElementById(box.dataset.pickLng);
    if (a) { a.value = round(lat); a.dispatchEvent(new Event('change', { bubbles: true })); }
    if (b) { b.value = round(lng); b.dispatchEvent(new Event('change', { bubbles: true })); }
    box.dataset.picked = round(lat) + ',' + round(lng);
  }

  // The drawn map: clicking it places the pin, in the same projection the server drew with.
  function drawnPicking(box) {
    var svg = box.querySelector('svg');
    if (!svg || !box.dataset.pickLat) return;
    var c = pair(box.dataset.center), radius = parseFloat(box.dataset.radius);
    var ns = 'http://www.w3.org/2000/svg';
    var dot = document.createElementNS(ns, 'circle');
    dot.setAttribute('r', '7');
    dot.setAttribute('class', 'pin pin-drop');
    var a = document.getElementById(box.dataset.pickLat), b = document.getElementById(box.dataset.pickLng);
    function place(x, y) { dot.setAttribute('cx', x); dot.setAttribute('cy', y); if (!dot.parentNode) svg.appendChild(dot); }
    if (a && b && a.value && b.value) {
      var north = (parseFloat(a.value) - c[0]) * M_PER_DEG, east = (parseFloat(b.value) - c[1]) * M_PER_DEG * Math.cos(c[0] * Math.PI / 180);
      place(150 + east / radius * 150, 150 - north / radius * 150);
    }
    svg.style.cursor = 'crosshair';
    svg.addEventListener('click', function (ev) {
      var r = svg.getBoundingClientRect();
      var x = (ev.clientX - r.left) / r.width * 300, y = (ev.clientY - r.top) / r.height * 300;
      var north = (150 - y) / 150 * radius, east = (x - 150) / 150 * radius;
      var lat = c[0] + north / M_PER_DEG, lng = c[1] + east / (M_PER_DEG * Math.cos(c[0] * Math.PI / 180));
      place(x, y);
      pickInto(box, lat, lng);
    });
  }

  function tiled(box) {
    var L = window.L, gcj = box.dataset.tileCrs === 'gcj02';
    var show = function (lat, lng) { var p = gcj ? toGcj(lat, lng) : [lat, lng]; return L.latLng(p[0], p[1]); };
    var back = function (ll) { return gcj ? fromGcj(ll.lat, ll.lng) : [ll.lat, ll.lng]; };
    var svg = box.querySelector('svg');
    var el = document.createElement('div');
    el.className = 'leaflet-box';
    box.insertBefore(el, box.firstChild);
    var c = pair(box.dataset.center), radius = parseFloat(box.dataset.radius) || 1000;
    var map = L.map(el, { zoomControl: true, attributionControl: true });
    var layer = L.tileLayer(box.dataset.tileUrl, {
      subdomains: box.dataset.tileSubdomains || 'abc', attribution: box.dataset.tileAttribution || '', maxZoom: 19,
    }).addTo(map);
    var center = show(c[0], c[1]);
    var dLat = radius / M_PER_DEG, dLng = radius / (M_PER_DEG * Math.cos(c[0] * Math.PI / 180));
    map.fitBounds([[center.lat - dLat, center.lng - dLng], [center.lat + dLat, center.lng + dLng]]);
    // The drawn pins are the map's pins: each says where it is, what it is and where it leads.
    var pins = [];
    Array.prototype.forEach.call(box.querySelectorAll('svg .pin[data-at]'), function (c) {
      var at = pair(c.getAttribute('data-at')), link = c.closest('a'), title = c.querySelector('title');
      pins.push({
        lat: at[0], lng: at[1], kind: c.getAttribute('data-kind') || 'store',
        label: title ? title.textContent : '', href: link ? link.getAttribute('href') : '',
      });
    });
    pins.forEach(function (p) {
      var icon = L.divIcon({ className: 'lokal-pin pin-' + p.kind, iconSize: p.kind === 'store' ? [12, 12] : [18, 18] });
      var m = L.marker(show(p.lat, p.lng), { icon: icon, title: p.label, alt: p.label, keyboard: !!p.href }).addTo(map);
      var el = m.getElement();
      if (el) el.setAttribute('data-testid', p.kind + '-pin');
      if (p.href) m.on('click', function () { location.href = p.href; });
    });
    if (box.dataset.pickLat) {
      var marker = null;
      var put = function (ll) {
        if (!marker) {
          marker = L.marker(ll, { draggable: true, icon: L.divIcon({ className: 'lokal-pin pin-drop', iconSize: [18, 18] }) }).addTo(map);
          marker.on('dragend', function () { var w = back(marker.getLatLng()); pickInto(box, w[0], w[1]); });
        } else { marker.setLatLng(ll); }
        var w = back(ll);
        pickInto(box, w[0], w[1]);
      };
      var a = document.getElementById(box.dataset.pickLat), b = document.getElementById(box.dataset.pickLng);
      if (a && b && a.value && b.value) {
        marker = L.marker(show(parseFloat(a.value), parseFloat(b.value)), { draggable: true, icon: L.divIcon({ className: 'lokal-pin pin-drop', iconSize: [18, 18] }) }).addTo(map);
        marker.on('dragend', function () { var w = back(marker.getLatLng()); pickInto(box, w[0], w[1]); });
      }
      map.on('click', function (ev) { put(ev.latlng); });
    }
    var loaded = false;
    layer.on('tileload', function () {
      if (!loaded) { loaded = true; box.dataset.tiles = 'loaded'; if (svg) svg.style.display = 'none'; }
    });
    // No tile within 6 s: the tile server cannot be reached; the drawn map stays.
    setTimeout(function () {
      if (loaded) return;
      map.remove();
      el.remove();
      box.dataset.tiles = 'unreachable';
      if (svg) svg.style.display = '';
      drawnPicking(box);
    }, 6000);
  }

  function loadLeaflet(done) {
    if (window.L) return done();
    var css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = LEAFLET + 'leaflet.css';
    document.head.appendChild(css);
    var s = document.createElement('script');
    s.src = LEAFLET + 'leaflet.js';
    s.onload = done;
    document.head.appendChild(s);
  }

  // "Use my location": the browser's position, remembered in the `loc` cookie for 30 days, then
  // the page again (its own `lat`/`lng`, if it has any, replaced).
  function locating(btn) {
    btn.addEventListener('click', function () {
      var status = document.getElementById(btn.dataset.status || '');
      var say = function (t) { if (status) status.textContent = t; };
      if (!navigator.geolocation) { say(btn.dataset.denied); return; }
      say(btn.dataset.locating);
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lat = round(pos.coords.latitude), lng = round(pos.coords.longitude);
        document.cookie = 'loc=' + lat + ',' + lng + '; Path=/; Max-Age=2592000; SameSite=Lax';
        var u = new URL(location.href);
        if (u.searchParams.has('lat')) { u.searchParams.set('lat', lat); u.searchParams.set('lng', lng); }
        location.href = u.toString();
      }, function () { say(btn.dataset.denied); }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-locate]'), locating);
    var boxes = Array.prototype.slice.call(document.querySelectorAll('[data-map]'));
    var withTiles = boxes.filter(function (b) { return b.dataset.tileUrl; });
    boxes.filter(function (b) { return !b.dataset.tileUrl; }).forEach(function (b) { b.dataset.tiles = 'none'; drawnPicking(b); });
    if (withTiles.length) loadLeaflet(function () { withTiles.forEach(tiled); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();

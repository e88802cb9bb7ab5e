// Scan with the camera where the browser has a barcode detector; typing always works.
(function () {
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices) return;
  const button = document.getElementById('scan');
  const video = document.getElementById('camera');
  button.hidden = false;
  button.addEventListener('click', async () => {
    const detector = new BarcodeDetector({ formats: ['qr_code'] });
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const tick = async () => {
      const found = await detector.detect(video).catch(() => []);
      if (found.length) {
        stream.getTracks().forEach((t) => t.stop());
        document.getElementById('code').value = found[0].rawValue;
        document.querySelector('[data-testid=desk-form]').submit();
      } else {
        requestAnimationFrame(tick);
      }
    };
    tick();
  });
})();

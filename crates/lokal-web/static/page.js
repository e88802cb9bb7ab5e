// What pages ask for with attributes rather than inline handlers (the Content-Security-Policy runs
// scripts from this site's files only): `data-print` prints the page, `data-autosubmit` sends its
// form when its value changes.
document.addEventListener('click', (ev) => {
  if (ev.target.closest('[data-print]')) {
    ev.preventDefault();
    window.print();
  }
});
document.addEventListener('change', (ev) => {
  const field = ev.target.closest('[data-autosubmit]');
  if (field && field.form) field.form.submit();
});

// Folds a list's extra filters on a phone (<details data-fold-on-phone>): the page opens on its results,
// with one line saying how many filters are in use. Without this script, or on a wide screen, they stay open.
const phone = window.matchMedia('(max-width: 700px)');
for (const details of document.querySelectorAll('details[data-fold-on-phone]')) {
  if (phone.matches) details.open = false;
}

// The Drover dashboard's only script: the confirmation dialog, and live counts read from the page's own JSON API.
'use strict';
(function () {
  // Actions ask first. Without this script the server asks on a page of its own, so nothing runs unconfirmed.
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!form.dataset.confirm || form.dataset.confirmed) return;
    event.preventDefault();
    const dialog = document.getElementById('confirm');
    dialog.querySelector('.question').textContent = form.dataset.confirm;
    dialog.querySelector('#confirm-ok').textContent = form.querySelector('button[type=submit]').textContent;
    dialog.returnValue = '';
    dialog.onclose = () => {
      if (dialog.returnValue !== 'ok') return;
      form.querySelector('input[name=confirmed]').value = 'yes';
      form.dataset.confirmed = '1';
      form.submit();
    };
    dialog.showModal();
  });

  const main = document.querySelector('main');
  const get = (url) => fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)));

  // The overview: counts by queue and state, and the totals, every 5 seconds.
  if (main && main.dataset.watchQueues) {
    const states = ['pending', 'running', 'done', 'dead', 'cancelled'];
    const fmt = new Intl.NumberFormat('en-US');
    setInterval(() => {
      get(main.dataset.watchQueues).then((queues) => {
        const totals = Object.fromEntries(states.map((s) => [s, 0]));
        for (const q of queues) {
          for (const s of states) {
            totals[s] += q[s];
            const cell = document.querySelector(`[data-count="${CSS.escape(q.queue + ':' + s)}"]`);
            if (cell) {
              cell.textContent = fmt.format(q[s]);
              cell.classList.toggle('zero', q[s] === 0);
            }
          }
        }
        for (const s of states) {
          const total = document.querySelector(`[data-total="${s}"]`);
          if (total) total.textContent = fmt.format(totals[s]);
        }
      }).catch(() => {});
    }, 5000);
  }

  // A task page: reload when the task's state changes (a requeued task running, then done).
  if (main && main.dataset.watchTask) {
    const shown = main.dataset.state;
    const timer = setInterval(() => {
      get(main.dataset.watchTask).then((task) => {
        if (task.state !== shown) {
          clearInterval(timer);
          location.replace(location.pathname);
        }
      }).catch(() => {});
    }, 1500);
  }
})();

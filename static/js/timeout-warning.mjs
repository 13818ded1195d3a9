// Warn a signed-in person before the idle time-out signs them out, and let them stay signed in.
// Without JavaScript the server still signs them out after the idle limit and says why.
export function initTimeoutWarning (dialog) {
  if (!dialog || typeof dialog.showModal !== 'function') return

  const idleMs = Number(dialog.dataset.idleMinutes) * 60 * 1000
  const warnMs = Number(dialog.dataset.warnMinutes) * 60 * 1000
  let warnTimer
  let signOutTimer

  function schedule () {
    clearTimeout(warnTimer)
    clearTimeout(signOutTimer)
    warnTimer = setTimeout(() => dialog.showModal(), warnMs)
    signOutTimer = setTimeout(() => { window.location.href = dialog.dataset.signedOutUrl }, idleMs)
  }

  dialog.querySelector('[data-timeout-action="stay"]').addEventListener('click', async () => {
    const response = await fetch(dialog.dataset.keepAliveUrl, {
      method: 'POST',
      headers: { 'X-CSRFToken': dialog.dataset.csrfToken },
      credentials: 'same-origin'
    })
    dialog.close()
    if (response.ok) schedule()
  })

  schedule()
}
